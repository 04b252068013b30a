// The editor's additions to Decap CMS: how pages and site.yaml are read and saved (below), the
// preview of a page, and what the attributes of this script's tag ask for (cms.py):
// data-stylesheet: the site's stylesheet, so the preview pane looks like the site;
// data-status: the preview's last build findings (build.py serve), shown at the foot of the editor.
(function () {
  "use strict";
  var tag = document.currentScript;
  window.CMS.registerCustomFormat("microsite-page", "md", format(true));
  window.CMS.registerCustomFormat("microsite-yaml", "yaml", format(false));
  if (tag.dataset.stylesheet) {
    window.CMS.registerPreviewStyle(tag.dataset.stylesheet);
  }
  // A page's preview laid out as on the site (templates/page.html), not as a list of its settings.
  window.CMS.registerPreviewTemplate("pages", function (props) {
    var h = window.h;
    return h("main", {className: "wrap"}, h("article", {className: "page has-aside"},
      h("h1", {}, props.entry.getIn(["data", "title"])),
      h("div", {className: "prose"}, props.widgetFor("body"))));
  });
  if (!tag.dataset.status) {
    return;
  }
  var panel = document.createElement("section");
  panel.id = "microsite-status";
  panel.setAttribute("role", "status");
  panel.setAttribute("aria-label", "The site's checks");
  panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:1000;max-height:30vh;overflow:auto;" +
    "margin:0;padding:.5rem 1rem;font:14px/1.4 system-ui,sans-serif;color:#1b1b1b;border-top:3px solid;";
  document.body.appendChild(panel);
  var shown = "";

  function show(status) {
    var text = JSON.stringify(status);
    if (text === shown) {
      return;
    }
    shown = text;
    var failed = !status.ok;
    panel.style.background = failed ? "#fff4f4" : status.problems.length ? "#fffbe6" : "#f1f8f4";
    panel.style.borderColor = failed ? "#a40000" : status.problems.length ? "#8a6d00" : "#1e6b3a";
    panel.textContent = "";
    var heading = document.createElement("strong");
    heading.textContent = failed ? "The site has errors: the preview was not rebuilt. Fix these and save."
      : status.problems.length ? "The site builds, with these warnings:" : "The site builds: no problems found.";
    panel.appendChild(heading);
    if (status.problems.length) {
      var list = document.createElement("ul");
      list.style.margin = ".25rem 0 0";
      status.problems.forEach(function (problem) {
        var item = document.createElement("li");
        item.textContent = problem;
        list.appendChild(item);
      });
      panel.appendChild(list);
    }
    // A notice (such as "this is the sample site") fails nothing: it is shown under the verdict.
    (status.notices || []).forEach(function (notice) {
      var line = document.createElement("p");
      line.style.margin = ".25rem 0 0";
      line.textContent = notice;
      panel.appendChild(line);
    });
  }

  function poll() {
    fetch(tag.dataset.status, {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) { show(status); } })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();

  // Saving keeps the file as it was written except where the editor changed something: a key whose
  // value is unchanged keeps its own lines (comments, quotes, folded text), so does unchanged text, and
  // keys the editor does not know are kept. YAML is read as YAML 1.2's core schema: dates stay text.
  function format(withBody) {
    return {
      fromFile: function (text) {
        var file = split(text, withBody);
        var data = load(file.head);
        if (withBody) {
          data.body = file.body;
        }
        data[SOURCE] = text;
        return data;
      },
      toFile: function (data, sortedKeys) {
        var old = split(data[SOURCE] || "", withBody);
        var values = {};
        Object.keys(data).forEach(function (key) {
          if (key !== SOURCE && !(withBody && key === "body")) {
            values[key] = data[key];
          }
        });
        var head = merged(old.head, values, sortedKeys || []);
        var body = data.body || "";
        if (!data[SOURCE] || body !== old.body) {  // new or edited text ends with one line break, as files do
          body = body.replace(/\n*$/, "\n");
        }
        return withBody ? "---\n" + head + "---\n" + (data[SOURCE] ? old.gap : "\n") + body : head;
      }
    };
  }

  var SOURCE = "__microsite_source";  // the file as read: carried in the entry, never written
  var FRONT_MATTER = /^---\r?\n([\s\S]*?\r?\n)?---\r?\n(\s*\n)?([\s\S]*)$/;
  var KEY_LINE = /^(["']?)([^"'#\s-][^"':]*)\1[ \t]*:([ \t]|\r?\n|$)/;
  var GAP_LINE = /^(#.*)?\s*$/;  // a blank or comment line between two keys

  function split(text, withBody) {
    var match = withBody && FRONT_MATTER.exec(text);
    if (!withBody) {
      return {head: text, gap: "", body: ""};
    }
    return match ? {head: match[1] || "", gap: match[2] || "", body: match[3]} : {head: "", gap: "", body: text};
  }

  function load(text) {
    return window.jsyaml.load(text, {schema: window.jsyaml.CORE_SCHEMA}) || {};
  }

  function dump(key, value) {
    var item = {};
    item[key] = value;
    return window.jsyaml.dump(item, {schema: window.jsyaml.CORE_SCHEMA, lineWidth: 100, noRefs: true});
  }

  // The key's lines, as they were where its value is unchanged; the keys added, in the form's order.
  function merged(head, values, sortedKeys) {
    var before = load(head);
    var blocks = keyBlocks(head);
    var text = blocks[0].text + blocks[0].gap;
    blocks.slice(1).forEach(function (block) {
      if (Object.prototype.hasOwnProperty.call(values, block.key)) {
        text += (same(before[block.key], values[block.key]) ? block.text : dump(block.key, values[block.key])) + block.gap;
      }
    });
    var added = Object.keys(values).filter(function (key) {
      return !blocks.some(function (block) { return block.key === key; });
    });
    added.sort(function (a, b) { return rank(sortedKeys, a) - rank(sortedKeys, b); });
    added.forEach(function (key) { text += dump(key, values[key]); });
    return text;
  }

  function keyBlocks(head) {
    var blocks = [{key: null, text: "", gap: ""}];
    head.split(/(?<=\n)/).forEach(function (line) {
      var last = blocks[blocks.length - 1];
      var key = KEY_LINE.exec(line);
      if (key) {
        blocks.push({key: key[2].trim(), text: line, gap: ""});
      } else if (GAP_LINE.test(line)) {
        last.gap += line;
      } else {
        last.text += last.gap + line;
        last.gap = "";
      }
    });
    return blocks;
  }

  function rank(sortedKeys, key) {
    var i = sortedKeys.indexOf(key);
    return i < 0 ? sortedKeys.length : i;
  }

  function same(a, b) {
    return canonical(a) === canonical(b);
  }

  function canonical(value) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return "{" + Object.keys(value).sort().map(function (key) {
        return JSON.stringify(key) + ":" + canonical(value[key]);
      }).join(",") + "}";
    }
    if (Array.isArray(value)) {
      return "[" + value.map(canonical).join(",") + "]";
    }
    return JSON.stringify(value === undefined ? null : value);
  }
})();

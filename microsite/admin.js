// The editor's additions to Decap CMS, set by attributes of this script's tag (cms.py):
// data-stylesheet: the site's stylesheet, so the preview pane looks like the site;
// data-status: the preview's last build findings (build.py serve), shown at the foot of the editor.
(function () {
  "use strict";
  var tag = document.currentScript;
  if (tag.dataset.stylesheet) {
    window.CMS.registerPreviewStyle(tag.dataset.stylesheet);
  }
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
  }

  function poll() {
    fetch(tag.dataset.status, {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) { show(status); } })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();

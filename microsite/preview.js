// The live preview's page refresh, a livereload.js plugin: when the page changed, fetch it and swap
// in its new body and title, which shows sooner than reloading it (no new document to set up, no
// stylesheet to fetch) and keeps the scroll position. Anything else (an error page, a new stylesheet,
// a changed head) reloads the page as livereload does.
(function () {
  "use strict";

  function PageSwap(window) {
    this.window = window;
    this.latest = 0; // the newest refresh asked for: an older one that answers late is dropped
  }
  PageSwap.identifier = "microsite-page-swap";
  PageSwap.version = "1.0";

  // The head as it matters for a swap: without the title (swapped) and scripts (the preview's own,
  // and JSON-LD, which nobody sees).
  function headKey(document) {
    return document.documentElement.lang + Array.prototype.map.call(document.head.children, function (element) {
      return element.tagName === "TITLE" || element.tagName === "SCRIPT" ? "" : element.outerHTML;
    }).join("");
  }

  PageSwap.prototype.reload = function (path) {
    if (path !== "*") {
      return false; // a stylesheet or a picture: livereload.js swaps it in place
    }
    var window = this.window;
    var document = window.document;
    var asked = ++this.latest;
    var self = this;
    window.fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("not the page");
        }
        return response.text();
      })
      .then(function (html) {
        if (asked !== self.latest) {
          return;
        }
        var fresh = new window.DOMParser().parseFromString(html, "text/html");
        if (headKey(fresh) !== headKey(document)) {
          throw new Error("another head");
        }
        document.title = fresh.title;
        document.documentElement.replaceChild(document.adoptNode(fresh.body), document.body);
      })
      .catch(function () {
        window.location.reload();
      });
    return true;
  };

  PageSwap.prototype.analyze = function () {
    return {};
  };

  window.LiveReloadPluginPageSwap = PageSwap; // livereload.js adds every LiveReloadPlugin* it finds
})();

// Starts Wagtail's date and time pickers and its chooser widgets from data
// attributes, so the admin needs no inline script under the
// Content-Security-Policy (merchants/admin/csp_widgets.py writes the marks).
(function () {
  "use strict";
  function start(root) {
    root.querySelectorAll("[data-chengxin-picker]:not([data-started])").forEach(function (mark) {
      var init = window[mark.dataset.chengxinPicker];
      if (typeof init !== "function") {
        return;
      }
      mark.dataset.started = "1";
      init(mark.dataset.pickerFor, JSON.parse(mark.dataset.pickerConfig || "{}"));
    });
    root.querySelectorAll("[data-chengxin-construct]:not([data-started])").forEach(function (mark) {
      var Widget = window[mark.dataset.chengxinConstruct];
      if (typeof Widget !== "function") {
        return;
      }
      mark.dataset.started = "1";
      new Widget(mark.dataset.pickerFor, JSON.parse(mark.dataset.pickerConfig || "{}"));
    });
  }
  function watch() {
    start(document);
    // Modals and inline forms add fields after the page has loaded.
    new MutationObserver(function () {
      start(document);
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();

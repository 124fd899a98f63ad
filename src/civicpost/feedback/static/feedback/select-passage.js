// Selecting words in the draft's text fills in "Passage you comment on", so a reviewer can
// anchor a comment with the mouse or with shift+arrows; typing the passage works without this.
(function () {
  "use strict";
  function setup() {
    var text = document.querySelector("[data-passage-source]");
    var quote = document.getElementById("id_quote");
    var start = document.getElementById("id_start");
    if (!text || !quote) return;
    function offsetOf(range) {
      // Count only the draft's own characters, not the comment numbers shown in the text.
      var before = document.createRange();
      before.setStart(text, 0);
      before.setEnd(range.startContainer, range.startOffset);
      var holder = document.createElement("div");
      holder.appendChild(before.cloneContents());
      holder.querySelectorAll("sup").forEach(function (sup) { sup.remove(); });
      return holder.textContent.length;
    }
    function take() {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
      var range = selection.getRangeAt(0);
      if (!text.contains(range.commonAncestorContainer)) return;
      var holder = document.createElement("div");
      holder.appendChild(range.cloneContents());
      holder.querySelectorAll("sup").forEach(function (sup) { sup.remove(); });
      var words = holder.textContent.trim();
      if (!words) return;
      quote.value = words;
      if (start) start.value = String(offsetOf(range));
    }
    text.addEventListener("mouseup", take);
    text.addEventListener("keyup", take);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

// Keyboard shortcuts of the ticket page and list: j/k next/previous, a answer,
// e escalate, r refer, c comment, ? the list of them. Never while typing.
(function () {
  "use strict";
  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }
  function go(id) {
    var link = document.getElementById(id);
    if (link && link.href) { window.location.href = link.href; return true; }
    return false;
  }
  function focus(sectionId, fieldSelector) {
    var section = document.getElementById(sectionId);
    if (!section) { return false; }
    if (section.tagName === "DETAILS") { section.open = true; }
    var field = section.querySelector(fieldSelector || "textarea, input:not([type=hidden]), select");
    section.scrollIntoView({block: "center"});
    if (field) { field.focus(); }
    return true;
  }
  var help = document.getElementById("shortcut-help");
  var keys = {
    j: function () { return go("next-ticket"); },
    k: function () { return go("prev-ticket"); },
    a: function () { return focus("answer", "textarea"); },
    e: function () { return focus("escalate", "textarea"); },
    r: function () { return focus("refer", "textarea"); },
    c: function () { return focus("timeline", "#id_comment"); },
    "?": function () { if (help) { help.hidden = !help.hidden; return true; } return false; }
  };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "Escape" && help) { help.hidden = true; return; }
    var action = keys[event.key];
    if (action && action()) { event.preventDefault(); }
  });
})();

// The list's bulk bar: counts the ticked rows, shows the fields of the chosen action.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var boxes = function () { return document.querySelectorAll("input[name=ids][form=bulk-form]"); };
  var counter = document.getElementById("bulk-selected");
  var all = document.getElementById("bulk-all");
  var action = document.getElementById("bulk-action");
  function count() {
    var n = 0;
    boxes().forEach(function (b) { if (b.checked) { n += 1; } });
    counter.textContent = all.checked ? "" : counter.getAttribute("data-template").replace("%(n)s", n);
  }
  function fields() {
    form.querySelectorAll("[data-for]").forEach(function (el) {
      el.hidden = el.getAttribute("data-for") !== action.value;
    });
  }
  var page = document.getElementById("select-page");
  if (page) {
    page.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = page.checked; });
      count();
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.name === "ids" || e.target === all) { count(); }
  });
  action.addEventListener("change", fields);
  count();
  fields();
})();

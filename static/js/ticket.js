// Copy buttons on the ticket page.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var value = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var old = button.textContent;
        button.textContent = button.getAttribute("data-done") || "OK";
        setTimeout(function () { button.textContent = old; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(done);
      } else {
        source.select && source.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();

// The reply picker fills the answer box with the chosen (already filled-in) reply.
(function () {
  "use strict";
  var picker = document.getElementById("reply-picker");
  if (!picker) { return; }
  picker.addEventListener("change", function () {
    var option = picker.options[picker.selectedIndex];
    if (option && option.value) {
      document.getElementById(picker.getAttribute("data-target")).value = option.getAttribute("data-body");
    }
  });
})();

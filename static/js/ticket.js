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

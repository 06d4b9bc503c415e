// Live triage suggestion on the intake page: no framework, no CDN.
(function () {
  "use strict";
  var form = document.getElementById("intake");
  if (!form) return;
  var url = form.getAttribute("data-suggest-url");
  var text = document.getElementById("id_text");
  var number = document.getElementById("id_candidate_number");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null, seq = 0;

  function el(id) { return document.getElementById(id); }

  function show(data) {
    var s = data.suggestion;
    el("s-empty").hidden = !!s;
    el("s-body").hidden = !s;
    if (!s) return;
    el("s-category").textContent = s.category_title + " (" + s.category + ")";
    var route = el("s-route");
    route.textContent = s.route_label;
    route.className = "badge " + s.route;
    el("s-confidence").textContent = Math.round(s.confidence * 100) + "%";
    // No guide category matched: say so instead of a category and a percentage.
    el("s-matched").hidden = !!s.abstains;
    el("s-abstains").hidden = !s.abstains;
    el("s-review").hidden = !s.needs_review;
    el("s-evidence").textContent = (s.evidence || []).join("；") || "—";
    el("s-also-wrap").hidden = !(s.also && s.also.length);
    el("s-also").textContent = (s.also || []).join(", ");
    el("s-reply").textContent = s.reply || "";
    var links = el("s-dup-links");
    links.textContent = "";
    (data.duplicates || []).forEach(function (d) {
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = "#" + d.id + " (" + d.status + ")";
      links.appendChild(a);
      links.appendChild(document.createTextNode(" "));
    });
    el("s-dups").hidden = !(data.duplicates && data.duplicates.length);
  }

  function update() {
    var mine = ++seq;
    var body = new URLSearchParams();
    body.set("text", text.value);
    body.set("candidate_number", number ? number.value : "");
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) show(data); })
      .catch(function () { /* offline or server busy: the form still saves without it */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }

  text.addEventListener("input", schedule);
  if (number) number.addEventListener("input", schedule);
  el("accept").addEventListener("click", function () {
    el("id_category").value = "";
    el("id_route").value = "";
  });
  // Ctrl+Enter (or Cmd+Enter) in the words box accepts the suggestion and saves.
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      el("accept").click();
    }
  });
  if (text.value.trim()) update();
})();

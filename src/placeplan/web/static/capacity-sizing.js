// Follows a sizing made in the background (capacity/model.html): polls the page until the
// answer is ready, updates the progress, then swaps the answer in and says so. A file, not
// inline, for the Content Security Policy; loaded only while the sizing is unfinished.
(function () {
  var body = document.getElementById("sizing-body");
  function poll() {
    fetch(window.location.href, {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("sizing-body");
      if (!fresh) { window.setTimeout(poll, 5000); return; }
      if (fresh.dataset.done === "true") {
        body.innerHTML = fresh.innerHTML;
        body.dataset.done = "true";
        document.getElementById("sizing-announce").textContent = "The capacity needed has been found: it is shown below.";
        return;
      }
      var bar = document.getElementById("sizing-progress"), label = document.getElementById("sizing-progress-label");
      var freshBar = fresh.querySelector("#sizing-progress"), freshLabel = fresh.querySelector("#sizing-progress-label");
      if (bar && freshBar) { bar.value = freshBar.value; bar.textContent = freshBar.textContent; }
      if (label && freshLabel) { label.textContent = freshLabel.textContent; }
      window.setTimeout(poll, 700);
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();

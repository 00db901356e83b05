// Follows a queued or running capacity run (capacity/run.html): polls its status, updates the
// progress, and swaps in the results when it finishes. Loaded only while the run is unfinished.
(function () {
  var body = document.getElementById("run-body");
  var announce = document.getElementById("run-announce");
  var url = "/api/v1/capacity/runs/" + body.dataset.run + "?results=false";
  var last = body.dataset.status;
  var words = {queued: "queued", running: "running", finished: "finished", failed: "failed"};
  function refreshWhole(status) {
    // the finished page carries the results (or the error): swap it in, then say so
    fetch(window.location.href, {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("run-body");
      if (fresh) { body.innerHTML = fresh.innerHTML; }
      announce.textContent = status === "finished"
        ? "Run " + body.dataset.run + " has finished: its results are below."
        : "Run " + body.dataset.run + " failed: the reason is below.";
    });
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (run) {
      if (run.status === "finished" || run.status === "failed") { refreshWhole(run.status); return; }
      if (run.status !== last) {
        last = run.status;
        announce.textContent = "Run " + run.id + " is " + words[run.status] + ".";
        var tag = document.getElementById("run-status-tag");
        if (tag) { tag.textContent = run.status.charAt(0).toUpperCase() + run.status.slice(1); tag.className = "nhsuk-tag nhsuk-tag--blue"; }
      }
      var bar = document.getElementById("run-progress");
      var label = document.getElementById("run-progress-label");
      if (bar && label && run.progress) {
        bar.value = run.progress.done;
        bar.textContent = Math.round(run.progress.fraction * 100) + "%";
        label.textContent = run.progress.done.toLocaleString("en-GB") + " of " + run.progress.total.toLocaleString("en-GB") + " replications done";
      }
      window.setTimeout(poll, 1000);
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();

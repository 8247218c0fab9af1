/* The batch page's progress bar: polls the job's JSON (data-progress-url) every second and
   updates the bar and its text; reloads the page to show the outcome once the job is over.
   A static file, so the Content Security Policy can forbid inline scripts. */
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var bar = document.getElementById("job-progress");
  var phase = document.getElementById("job-phase");
  var detail = document.getElementById("job-detail");
  var waiting = document.getElementById("job-waiting");
  var announce = document.getElementById("job-announce");
  var lastSaid = "";
  var failures = 0;

  function number(value) {
    return Number(value).toLocaleString("en-GB");
  }

  function show(job) {
    var name = job.state === "queued" ? "Waiting for the worker to start" : (job.phase || "Starting");
    if (job.cancel_requested) {
      name += " (cancelling)";
    }
    phase.textContent = name;
    if (job.percent === null) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = job.percent;
      bar.textContent = job.percent + "%";
    }
    var text = number(job.done) + " " + job.unit;
    if (job.total) {
      text += " of about " + number(job.total) + " (" + job.percent + "%)";
    }
    detail.textContent = text;
    waiting.hidden = !job.waiting_long;
    // Screen readers hear the step, and each tenth of it, not every second's count.
    var said = name + (job.percent === null ? "" : ", " + Math.floor(job.percent / 10) * 10 + "%");
    if (said !== lastSaid) {
      announce.textContent = said;
      lastSaid = said;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        if (job.finished) {
          window.location.reload();
          return;
        }
        show(job);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, failures)));
      });
  }

  window.setTimeout(poll, 1000);
})();

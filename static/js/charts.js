/* Draws every chart on the page from the figure JSON that the server put in a json_script
   element: <div class="slp-chart" data-figure="ID"> reads <script id="ID" type="application/json">.
   No inline script, so the Content Security Policy can forbid it. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(container, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true,
      staticPlot: false,
    }).then(function () {
      container.classList.add("slp-chart-drawn");
    });
  }

  function drawAll() {
    document.querySelectorAll(".slp-chart[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

/* Draws the dashboard's Plotly figures from their <script type="application/json"> blocks.
   No inline script: the page holds only data, this file holds the code. */
(function () {
  "use strict";

  var config = {
    displaylogo: false,
    responsive: true,
    // "sendChartToCloud" would upload the figure (programme data) to Plotly Cloud
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"]
  };

  function draw() {
    if (!window.Plotly) {
      return;
    }
    var blocks = document.querySelectorAll('script[type="application/json"][data-chart]');
    Array.prototype.forEach.call(blocks, function (block) {
      var target = document.getElementById(block.getAttribute("data-chart"));
      if (!target) {
        return;
      }
      var figure = JSON.parse(block.textContent);
      window.Plotly.newPlot(target, figure.data, figure.layout, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

/* Draws the dashboard's Plotly figures from their <script type="application/json"> blocks.
   No inline script: the page holds only data, this file holds the code.

   Only the charts on the first screen are drawn at once; the others when they scroll to within
   200 pixels of view, so a dashboard of many charts is ready as soon as its top is.
   A drawn chart's box gets data-drawn="true" (bench/browser.py waits for it). */
(function () {
  "use strict";

  var config = {
    displaylogo: false,
    responsive: true,
    // "sendChartToCloud" would upload the figure (programme data) to Plotly Cloud
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"]
  };

  function draw(target, figure) {
    if (target.hasAttribute("data-drawn")) {
      return;
    }
    target.setAttribute("data-drawn", "pending");
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function () {
      target.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    if (!window.Plotly) {
      return;
    }
    var figures = {};
    var blocks = document.querySelectorAll('script[type="application/json"][data-chart]');
    Array.prototype.forEach.call(blocks, function (block) {
      var target = document.getElementById(block.getAttribute("data-chart"));
      if (target) {
        var figure = JSON.parse(block.textContent);
        // the chart's own height before it is drawn, so the page does not jump as charts appear
        if (figure.layout && figure.layout.height) {
          target.style.minHeight = figure.layout.height + "px";
        }
        figures[target.id] = { target: target, figure: figure };
      }
    });
    var observer = "IntersectionObserver" in window && new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(entry.target, figures[entry.target.id].figure);
          }
        });
      },
      { rootMargin: "200px 0px" }
    );
    Object.keys(figures).forEach(function (id) {
      if (observer) {
        observer.observe(figures[id].target);
      } else {
        draw(figures[id].target, figures[id].figure);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

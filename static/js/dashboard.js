/* Draws the dashboard's Plotly figures from their <script type="application/json"> blocks.
   No inline script: the page holds only data, this file holds the code.

   Charts in view are drawn first, one at a time, so the first screen is complete as early as
   plotly.js allows; charts within 200 pixels of view are drawn only once nothing in view waits,
   so they never hold up what the reader sees. Charts further down wait until they come near.
   A drawn chart's box gets data-drawn="true" (bench/browser.py waits for it). */
(function () {
  "use strict";

  var config = {
    displaylogo: false,
    responsive: true,
    // "sendChartToCloud" would upload the figure (programme data) to Plotly Cloud
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"]
  };
  var figures = {};
  var inView = [];
  var near = [];
  var drawing = false;

  function next() {
    while (inView.length || near.length) {
      var target = (inView.length ? inView : near).shift();
      if (!target.hasAttribute("data-drawn")) {
        return target;
      }
    }
    return null;
  }

  function pump() {
    if (drawing) {
      return;
    }
    var target = next();
    if (!target) {
      return;
    }
    drawing = true;
    target.setAttribute("data-drawn", "pending");
    var figure = figures[target.id];
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function () {
      target.setAttribute("data-drawn", "true");
    }).finally(function () {
      drawing = false;
      // a task between charts lets the browser paint the one just drawn
      window.setTimeout(pump, 0);
    });
  }

  function watch(queue, margin) {
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            queue.push(entry.target);
          }
        });
        pump();
      },
      { rootMargin: margin }
    );
    return observer;
  }

  function start() {
    if (!window.Plotly) {
      return;
    }
    var blocks = document.querySelectorAll('script[type="application/json"][data-chart]');
    var targets = [];
    Array.prototype.forEach.call(blocks, function (block) {
      var target = document.getElementById(block.getAttribute("data-chart"));
      if (target) {
        var figure = JSON.parse(block.textContent);
        // the chart's own height before it is drawn, so the page does not jump as charts appear
        if (figure.layout && figure.layout.height) {
          target.style.minHeight = figure.layout.height + "px";
        }
        figures[target.id] = figure;
        targets.push(target);
      }
    });
    if (!("IntersectionObserver" in window)) {
      Array.prototype.push.apply(inView, targets);
      pump();
      return;
    }
    var seen = watch(inView, "0px");
    var coming = watch(near, "200px 0px");
    targets.forEach(function (target) {
      seen.observe(target);
      coming.observe(target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

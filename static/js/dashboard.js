/* Draws the dashboard's Plotly figures from their <script type="application/json"> blocks.
   No inline script: the page holds only data, this file holds the code.

   Charts in view are drawn first, one at a time, so the first screen is complete as early as
   plotly.js allows; charts within 200 pixels of view are drawn only once nothing in view waits,
   so they never hold up what the reader sees. Charts further down wait until they come near.
   A chart in view is drawn plain at first (no mode bar, no resizing with the window: a third
   less work) and given both once nothing else waits; the mode bar shows only on hovering.
   A drawn chart's box gets data-drawn="true" (bench/browser.py waits for it). */
(function () {
  "use strict";

  var config = {
    displaylogo: false,
    responsive: true,
    // "sendChartToCloud" would upload the figure (programme data) to Plotly Cloud
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"]
  };
  var plain = { displaylogo: false, displayModeBar: false, responsive: false };
  var figures = {};
  var inView = [];
  var near = [];
  var unfinished = [];  // drawn plain, waiting for the mode bar and resizing
  var drawing = false;

  function next() {
    while (inView.length || near.length) {
      var first = inView.length > 0;
      var target = (first ? inView : near).shift();
      if (!target.hasAttribute("data-drawn")) {
        return { target: target, plain: first };
      }
    }
    return null;
  }

  function whenIdle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, { timeout: 2000 });
    } else {
      window.setTimeout(callback, 200);
    }
  }

  // Gives a plainly drawn chart its mode bar and resizing, once the browser is idle and no
  // chart waits to be drawn; one chart per idle moment.
  function finish() {
    if (!unfinished.length) {
      return;
    }
    if (drawing || inView.length || near.length) {
      pump();  // draws what waits, or clears the queues of charts drawn meanwhile
      whenIdle(finish);
      return;
    }
    var target = unfinished.shift();
    drawing = true;
    window.Plotly.react(target, target.data, target.layout, config).finally(function () {
      drawing = false;
      pump();
      whenIdle(finish);
    });
  }

  function draw(job) {
    var target = job.target;
    target.setAttribute("data-drawn", "pending");
    var figure = figures[target.id];
    return window.Plotly.newPlot(
      target, figure.data, figure.layout, job.plain ? plain : config
    ).then(function () {
      target.setAttribute("data-drawn", "true");
      if (job.plain) {
        unfinished.push(target);
        whenIdle(finish);
      }
    });
  }

  function pump() {
    if (drawing) {
      return;
    }
    var job = next();
    if (!job) {
      return;
    }
    drawing = true;
    draw(job).finally(function () {
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

/* decompose report: the module graph (pan, zoom, hover, click) and the module search.
   Everything shown comes from the JSON in #plan-data and goes into the page as text nodes,
   never as markup. Layout positions are computed by decompose; this script only draws. */
(function () {
  "use strict";

  var source = document.getElementById("plan-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var services = data.services;
  var modules = data.modules;
  var edges = data.edges;
  var byName = Object.create(null);
  modules.forEach(function (m, i) { byName[m.name] = i; });

  /* ---- small DOM helpers: text only ---- */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function swatch(index) {
    var s = services[index];
    if (!s) { return el("span", "svc", "?"); }
    var node = el(s.anchor ? "a" : "span", "svc", s.name);
    if (s.anchor) { node.setAttribute("href", "#" + s.anchor); }
    node.style.setProperty("--accent", s.colour);
    node.style.setProperty("--tint", s.tint);
    return node;
  }

  /* ---- explanations, shared by the graph panel and the search panel ---- */
  function tieList(ties, onPick) {
    var list = el("ul", "ties");
    ties.forEach(function (tie) {
      var item = el("li");
      var button = el("button", "", tie[0]);
      button.type = "button";
      button.addEventListener("click", function () { onPick(tie[0]); });
      item.appendChild(button);
      item.appendChild(el("span", "how", tie[1]));
      list.appendChild(item);
    });
    return list;
  }

  function renderModule(panel, index, onPick, extra) {
    var m = modules[index];
    var why = m.why;
    clear(panel);
    panel.hidden = false;
    panel.appendChild(el("h3", "", m.name));
    var meta = el("p");
    meta.appendChild(swatch(m.service));
    meta.appendChild(document.createTextNode(" · " + m.lines + " lines"));
    panel.appendChild(meta);
    if (why.summary) { panel.appendChild(el("p", "why", why.summary)); }
    panel.appendChild(el("h4", "", why.ownTitle || "Strongest ties in " + services[m.service].name));
    if (why.own.length) {
      panel.appendChild(tieList(why.own, onPick));
    } else {
      panel.appendChild(el("p", "empty", "none"));
    }
    if (why.pull) {
      panel.appendChild(el("h4", "", why.pull.title));
      panel.appendChild(tieList(why.pull.ties, onPick));
    }
    if (extra) { panel.appendChild(extra); }
  }

  function renderService(panel, index) {
    var s = services[index];
    clear(panel);
    panel.appendChild(el("h3", "", s.name));
    var meta = el("p");
    meta.appendChild(swatch(index));
    meta.appendChild(document.createTextNode(" · " + s.meta));
    panel.appendChild(meta);
    var out = data.serviceEdges.filter(function (e) { return e[0] === index; });
    var into = data.serviceEdges.filter(function (e) { return e[1] === index; });
    [["Depends on", out, 1], ["Used by", into, 0]].forEach(function (part) {
      panel.appendChild(el("h4", "", part[0]));
      if (!part[1].length) { panel.appendChild(el("p", "empty", "no other service")); return; }
      var list = el("ul", "ties");
      part[1].slice().sort(function (a, b) { return b[2] - a[2]; }).forEach(function (e) {
        var item = el("li");
        item.appendChild(swatch(e[part[2]]));
        item.appendChild(el("span", "how", e[3]));
        list.appendChild(item);
      });
      panel.appendChild(list);
    });
    var show = el("button", "", "Show its modules");
    show.type = "button";
    show.addEventListener("click", function () { graph.focusService(index); });
    var p = el("p");
    p.appendChild(show);
    panel.appendChild(p);
  }

  /* ---- the graph ---- */
  var graph = (function () {
    var canvas = document.getElementById("graph-canvas");
    var panel = document.getElementById("graph-panel");
    var tooltip = document.getElementById("graph-tooltip");
    if (!canvas || !canvas.getContext) {
      return {
        select: function () {}, focusService: function () {},
        locate: function () { return null; }, locateService: function () { return null; }
      };
    }
    var ctx = canvas.getContext("2d");
    var state = {
      view: data.aggregate ? "services" : "modules",
      scale: 1, x: 0, y: 0,
      hover: -1, selected: -1, selectedService: -1, highlight: -1, moved: false
    };
    var neighbours = modules.map(function () { return []; });
    edges.forEach(function (e, i) { neighbours[e[0]].push(i); neighbours[e[1]].push(i); });
    var maxEdge = edges.reduce(function (m, e) { return Math.max(m, e[2]); }, 1);
    var maxServiceEdge = data.serviceEdges.reduce(function (m, e) { return Math.max(m, e[2]); }, 1);
    var width = 0, height = 0, ratio = 1, pending = false;
    /* Thousands of lines drawn at full strength hide the modules: fade them as they grow. */
    var density = Math.min(1, Math.sqrt(600 / Math.max(edges.length, 1)));
    var crossAlpha = 0.45 * density;

    function resize() {
      var box = canvas.getBoundingClientRect();
      ratio = window.devicePixelRatio || 1;
      width = Math.max(1, box.width);
      height = Math.max(1, box.height);
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      /* Until the reader pans or zooms, keep the whole graph in view (resizes, print). */
      if (!state.moved) { fitTo(bounds(services)); }
      draw();
    }

    function bounds(items) {
      var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
      items.forEach(function (p) {
        b.x0 = Math.min(b.x0, p.x - p.r); b.y0 = Math.min(b.y0, p.y - p.r);
        b.x1 = Math.max(b.x1, p.x + p.r); b.y1 = Math.max(b.y1, p.y + p.r);
      });
      return b;
    }

    function fitTo(b) {
      if (!isFinite(b.x0)) { state.scale = 1; state.x = width / 2; state.y = height / 2; return; }
      /* Room around the drawing, in pixels: more on top for the service names. */
      var pad = 20, top = 34;
      var w = Math.max(b.x1 - b.x0, 1), h = Math.max(b.y1 - b.y0, 1);
      state.scale = Math.min((width - 2 * pad) / w, (height - pad - top) / h, 4);
      state.x = width / 2 - (b.x0 + w / 2) * state.scale;
      state.y = top + (height - pad - top) / 2 - (b.y0 + h / 2) * state.scale;
    }

    /* The service discs hold every module: fitting them fits both views. */
    function fit() { state.moved = false; fitTo(bounds(services)); draw(); }

    function toScreen(x, y) { return [x * state.scale + state.x, y * state.scale + state.y]; }
    function toWorld(x, y) { return [(x - state.x) / state.scale, (y - state.y) / state.scale]; }

    function draw() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; paint(); });
    }

    function dimmed(serviceIndex) {
      return state.highlight >= 0 && serviceIndex !== state.highlight;
    }

    function paint() {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.save();
      ctx.translate(state.x, state.y);
      ctx.scale(state.scale, state.scale);
      if (state.view === "modules") { paintModules(); } else { paintServices(); }
      ctx.restore();
      paintLabels();
    }

    function paintModules() {
      var unit = 1 / state.scale;
      services.forEach(function (s, i) {
        ctx.beginPath();
        ctx.arc(s.x, s.y, s.r, 0, 2 * Math.PI);
        ctx.globalAlpha = dimmed(i) ? 0.03 : 0.07;
        ctx.fillStyle = s.colour;
        ctx.fill();
      });
      ctx.lineWidth = unit;
      edges.forEach(function (e) {
        var a = modules[e[0]], b = modules[e[1]];
        var cross = a.service !== b.service;
        var library = services[a.service].shared || services[b.service].shared;
        var faded = dimmed(a.service) && dimmed(b.service);
        ctx.globalAlpha = faded ? 0.04 : (cross && !library ? crossAlpha : 0.22 * density);
        ctx.strokeStyle = !cross ? services[a.service].colour : library ? "#8a93a3" : "#c2410c";
        ctx.lineWidth = unit * (0.6 + 1.6 * e[2] / maxEdge);
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
        ctx.stroke();
      });
      var focus = state.selected >= 0 ? state.selected : state.hover;
      if (focus >= 0) {
        neighbours[focus].forEach(function (k) {
          var e = edges[k], a = modules[e[0]], b = modules[e[1]];
          ctx.globalAlpha = 0.9;
          ctx.strokeStyle = a.service !== b.service ? "#c2410c" : "#1f2430";
          ctx.lineWidth = unit * 2;
          ctx.beginPath();
          ctx.moveTo(a.x, a.y);
          ctx.lineTo(b.x, b.y);
          ctx.stroke();
        });
      }
      modules.forEach(function (m, i) {
        ctx.globalAlpha = dimmed(m.service) ? 0.15 : 1;
        ctx.beginPath();
        ctx.arc(m.x, m.y, m.r, 0, 2 * Math.PI);
        ctx.fillStyle = services[m.service].colour;
        ctx.fill();
        if (i === state.selected || i === state.hover) {
          ctx.globalAlpha = 1;
          ctx.lineWidth = unit * 3;
          ctx.strokeStyle = "#1f2430";
          ctx.stroke();
        }
      });
      ctx.globalAlpha = 1;
    }

    function paintServices() {
      var unit = 1 / state.scale;
      data.serviceEdges.forEach(function (e) {
        var a = services[e[0]], b = services[e[1]];
        var back = data.serviceEdges.some(function (f) { return f[0] === e[1] && f[1] === e[0]; });
        arrow(a, b, unit * (1 + 5 * e[2] / maxServiceEdge), back ? 10 * unit : 0, unit);
      });
      services.forEach(function (s, i) {
        ctx.globalAlpha = dimmed(i) ? 0.25 : 1;
        ctx.beginPath();
        ctx.arc(s.x, s.y, s.r * 0.55, 0, 2 * Math.PI);
        ctx.fillStyle = s.colour;
        ctx.fill();
        if (i === state.selectedService) {
          ctx.lineWidth = unit * 4;
          ctx.strokeStyle = "#1f2430";
          ctx.stroke();
        }
      });
      ctx.globalAlpha = 1;
    }

    function arrow(a, b, lineWidth, offset, unit) {
      var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / d, uy = dy / d, nx = -uy * offset, ny = ux * offset;
      var x0 = a.x + ux * a.r * 0.55 + nx, y0 = a.y + uy * a.r * 0.55 + ny;
      var x1 = b.x - ux * (b.r * 0.55 + 4 * unit) + nx, y1 = b.y - uy * (b.r * 0.55 + 4 * unit) + ny;
      ctx.globalAlpha = 0.6;
      ctx.strokeStyle = "#5b6473";
      ctx.fillStyle = "#5b6473";
      ctx.lineWidth = lineWidth;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      var head = 10 * unit + lineWidth;
      ctx.beginPath();
      ctx.moveTo(x1 + ux * head * 0.4, y1 + uy * head * 0.4);
      ctx.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5);
      ctx.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5);
      ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = 1;
    }

    function label(text, x, y, bold) {
      ctx.font = (bold ? "600 13px " : "12px ") + "system-ui, sans-serif";
      ctx.lineJoin = "round";
      ctx.lineWidth = 4;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, x, y);
      ctx.fillStyle = "#1f2430";
      ctx.fillText(text, x, y);
    }

    function paintLabels() {
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      services.forEach(function (s, i) {
        if (dimmed(i)) { return; }
        var p = toScreen(s.x, s.y);
        if (state.view === "modules") {
          label(s.name, p[0], p[1] - s.r * state.scale - 4, true);
        } else {
          label(s.name, p[0], p[1] - s.r * 0.55 * state.scale - 4, true);
          /* Sizes only where there is room for them: zoomed in, or the service in focus. */
          if (state.scale >= 1 || i === state.hover || i === state.selectedService) {
            ctx.textBaseline = "top";
            ctx.font = "11px system-ui, sans-serif";
            ctx.fillStyle = "#5b6473";
            ctx.fillText(s.meta, p[0], p[1] + s.r * 0.55 * state.scale + 4);
            ctx.textBaseline = "bottom";
          }
        }
      });
      if (state.view !== "modules") { return; }
      var named = state.scale >= 1.6;
      modules.forEach(function (m, i) {
        if (!(named || i === state.selected || i === state.hover) || dimmed(m.service)) { return; }
        var p = toScreen(m.x, m.y);
        if (p[0] < -50 || p[1] < -20 || p[0] > width + 50 || p[1] > height + 20) { return; }
        var text = i === state.selected || i === state.hover ? m.name : m.name.split(".").pop();
        label(text, p[0], p[1] - m.r * state.scale - 2, i === state.selected);
      });
    }

    function pick(clientX, clientY) {
      var box = canvas.getBoundingClientRect();
      var w = toWorld(clientX - box.left, clientY - box.top);
      var items = state.view === "modules" ? modules : services;
      var best = -1, bestDistance = Infinity;
      items.forEach(function (p, i) {
        var r = state.view === "modules" ? p.r : p.r * 0.55;
        var dx = p.x - w[0], dy = p.y - w[1];
        var d = Math.sqrt(dx * dx + dy * dy);
        var reach = r + 4 / state.scale;
        if (d <= reach && d < bestDistance) { best = i; bestDistance = d; }
      });
      return best;
    }

    function setView(view) {
      state.view = view;
      state.hover = -1;
      document.querySelectorAll("[data-view]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === view));
      });
      fit();
    }

    function select(index, centre) {
      if (state.view !== "modules") { setView("modules"); }
      state.selected = index;
      renderModule(panel, index, pickByName);
      if (centre) {
        state.moved = true;
        var m = modules[index];
        state.scale = Math.max(state.scale, 2);
        state.x = width / 2 - m.x * state.scale;
        state.y = height / 2 - m.y * state.scale;
      }
      draw();
    }

    function pickByName(name) {
      if (name in byName) { select(byName[name], true); }
    }

    function selectService(index) {
      state.selectedService = index;
      renderService(panel, index);
      draw();
    }

    function focusService(index) {
      setView("modules");
      var s = services[index];
      fitTo({ x0: s.x - s.r, y0: s.y - s.r, x1: s.x + s.r, y1: s.y + s.r });
      state.moved = true;
      setHighlight(index);
      canvas.focus();
    }

    function setHighlight(index) {
      state.highlight = index;
      document.querySelectorAll(".legend [data-service]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-service")) === index));
      });
      draw();
    }

    function zoom(factor, cx, cy) {
      state.moved = true;
      var next = Math.min(40, Math.max(0.02, state.scale * factor));
      factor = next / state.scale;
      state.x = cx - (cx - state.x) * factor;
      state.y = cy - (cy - state.y) * factor;
      state.scale = next;
      draw();
    }

    var drag = null;
    canvas.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (drag) {
        var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
        if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
          drag.moved = true;
          canvas.classList.add("dragging");
          state.moved = true;
          state.x += dx; state.y += dy;
          drag.x = event.clientX; drag.y = event.clientY;
          tooltip.hidden = true;
          draw();
          return;
        }
      }
      var hit = pick(event.clientX, event.clientY);
      var changed = hit !== state.hover;
      state.hover = hit;
      if (hit >= 0) {
        var box = canvas.getBoundingClientRect();
        var item = state.view === "modules" ? modules[hit] : services[hit];
        tooltip.textContent = state.view === "modules"
          ? item.name + " · " + services[item.service].name
          : item.name + " · " + item.meta;
        tooltip.style.left = (event.clientX - box.left + 12) + "px";
        tooltip.style.top = (event.clientY - box.top + 12) + "px";
        tooltip.hidden = false;
      } else {
        tooltip.hidden = true;
      }
      if (changed) { draw(); }
    });
    canvas.addEventListener("pointerup", function (event) {
      var wasDrag = drag && drag.moved;
      drag = null;
      canvas.classList.remove("dragging");
      if (wasDrag) { return; }
      var hit = pick(event.clientX, event.clientY);
      if (hit < 0) { return; }
      if (state.view === "modules") { select(hit, false); } else { selectService(hit); }
    });
    canvas.addEventListener("pointerleave", function () {
      tooltip.hidden = true;
      if (state.hover >= 0) { state.hover = -1; draw(); }
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = canvas.getBoundingClientRect();
      zoom(Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    canvas.addEventListener("keydown", function (event) {
      var step = 60;
      var handled = true;
      switch (event.key) {
        case "ArrowLeft": state.moved = true; state.x += step; break;
        case "ArrowRight": state.moved = true; state.x -= step; break;
        case "ArrowUp": state.moved = true; state.y += step; break;
        case "ArrowDown": state.moved = true; state.y -= step; break;
        case "+": case "=": zoom(1.25, width / 2, height / 2); break;
        case "-": zoom(0.8, width / 2, height / 2); break;
        case "0": fit(); break;
        case "Escape": state.selected = -1; setHighlight(-1); break;
        default: handled = false;
      }
      if (handled) { event.preventDefault(); draw(); }
    });
    document.querySelectorAll("[data-view]").forEach(function (b) {
      b.addEventListener("click", function () { setView(b.getAttribute("data-view")); });
    });
    document.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var how = b.getAttribute("data-zoom");
        if (how === "fit") { fit(); } else { zoom(how === "in" ? 1.4 : 1 / 1.4, width / 2, height / 2); }
      });
    });
    document.querySelectorAll(".legend [data-service]").forEach(function (b) {
      b.addEventListener("click", function () {
        var index = Number(b.getAttribute("data-service"));
        setHighlight(state.highlight === index ? -1 : index);
        if (state.view === "services") { selectService(index); }
      });
    });

    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { resize(); }).observe(canvas);
    } else {
      window.addEventListener("resize", resize);
    }
    if (data.movers.length) {
      panel.appendChild(el("h4", "", "Candidates to move"));
      panel.appendChild(el("p", "hint",
        "Modules tied harder to another service than to their own:"));
      panel.appendChild(tieList(data.movers.map(function (i) {
        var m = modules[i];
        return [m.name, services[m.service].name + " → " + m.why.pull.name];
      }), pickByName));
    }
    resize();
    fit();

    return {
      select: select,
      focusService: focusService,
      /* Where a module is drawn, in viewport coordinates (for scripting and tests). */
      locate: function (name) {
        if (!(name in byName)) { return null; }
        if (state.view !== "modules") { setView("modules"); }
        paint();
        var m = modules[byName[name]];
        var p = toScreen(m.x, m.y);
        var box = canvas.getBoundingClientRect();
        return { x: box.left + p[0], y: box.top + p[1] };
      },
      /* Where a service is drawn in the service view, in viewport coordinates. */
      locateService: function (name) {
        var index = -1;
        services.forEach(function (s, i) { if (s.name === name) { index = i; } });
        if (index < 0) { return null; }
        if (state.view !== "services") { setView("services"); }
        paint();
        var p = toScreen(services[index].x, services[index].y);
        var box = canvas.getBoundingClientRect();
        return { x: box.left + p[0], y: box.top + p[1] };
      }
    };
  })();

  /* ---- search ---- */
  (function () {
    var input = document.getElementById("search-input");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var panel = document.getElementById("search-panel");
    if (!input) { return; }
    var limit = 40;
    var entries = modules.map(function (m, i) {
      return { text: m.name, lower: m.name.toLowerCase(), module: i, kind: "module" };
    });
    data.symbols.forEach(function (s) {
      entries.push({ text: s[0], lower: s[0].toLowerCase(), module: s[1], kind: "class" });
    });

    function rank(entry, query) {
      var at = entry.lower.indexOf(query);
      if (at < 0) { return -1; }
      var last = entry.lower.slice(entry.lower.lastIndexOf(".") + 1);
      if (entry.lower === query || last === query) { return 0; }
      if (last.indexOf(query) === 0) { return 1; }
      if (at === 0 || entry.lower.charAt(at - 1) === ".") { return 2; }
      return 3;
    }

    function show(index, button) {
      results.querySelectorAll("button").forEach(function (b) { b.removeAttribute("aria-current"); });
      if (button) { button.setAttribute("aria-current", "true"); }
      var go = el("button", "", "Show in the graph");
      go.type = "button";
      go.addEventListener("click", function () {
        graph.select(index, true);
        document.getElementById("module-graph").scrollIntoView();
      });
      var p = el("p");
      p.appendChild(go);
      renderModule(panel, index, function (name) {
        if (name in byName) { show(byName[name], null); }
      }, p);
    }

    function update() {
      var query = input.value.trim().toLowerCase();
      clear(results);
      if (!query) {
        status.textContent = "Type part of a module or class name.";
        return;
      }
      var found = [];
      entries.forEach(function (entry) {
        var r = rank(entry, query);
        if (r >= 0) { found.push([r, entry]); }
      });
      found.sort(function (a, b) {
        return a[0] - b[0] || a[1].text.length - b[1].text.length ||
          (a[1].text < b[1].text ? -1 : a[1].text > b[1].text ? 1 : 0);
      });
      status.textContent = found.length === 0 ? "No module or class matches."
        : found.length > limit ? found.length + " matches; the first " + limit + " are shown."
        : found.length === 1 ? "1 match." : found.length + " matches.";
      found.slice(0, limit).forEach(function (pair) {
        var entry = pair[1];
        var m = modules[entry.module];
        var item = el("li");
        var button = el("button");
        button.type = "button";
        button.style.setProperty("--accent", services[m.service].colour);
        button.appendChild(el("span", "name", entry.text));
        button.appendChild(el("span", "kind", entry.kind + " · " + services[m.service].name));
        button.addEventListener("click", function () { show(entry.module, button); });
        button.addEventListener("keydown", function (event) {
          var next = event.key === "ArrowDown" ? item.nextElementSibling
            : event.key === "ArrowUp" ? item.previousElementSibling : null;
          if (next) { next.querySelector("button").focus(); event.preventDefault(); }
          else if (event.key === "ArrowUp") { input.focus(); event.preventDefault(); }
        });
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      var first = results.querySelector("button");
      if (event.key === "Enter" && first) { first.click(); event.preventDefault(); }
      if (event.key === "ArrowDown" && first) { first.focus(); event.preventDefault(); }
    });
    update();
  })();

  window.decomposeReport = {
    locate: graph.locate, locateService: graph.locateService, select: graph.select
  };
})();

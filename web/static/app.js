/* Aftercare: small enhancements. Every page works without this file. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  function all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  /* The self-check, one step at a time. */
  all("form[data-steps]").forEach(function (form) {
    var steps = all(".step", form);
    var marks = all(".stepper li", form);
    if (steps.length < 2) { return; }
    var current = 0;
    function show(i, focus, push) {
      current = Math.max(0, Math.min(steps.length - 1, i));
      if (push) { history.pushState({ step: current }, "", "#" + steps[current].id); }
      steps.forEach(function (s, k) { s.classList.toggle("is-current", k === current); });
      marks.forEach(function (m, k) {
        m.classList.toggle("is-current", k === current);
        m.classList.toggle("is-done", k < current);
      });
      if (focus) {
        var h = steps[current].querySelector("h2");
        if (h) { h.focus(); h.scrollIntoView({ block: "start" }); }
      }
    }
    /* Each step is an entry of the browser's history: Back goes to the step before. */
    function stepOf(state) {
      if (state && typeof state.step === "number") { return state.step; }
      var k = steps.findIndex(function (s) { return "#" + s.id === location.hash; });
      return k < 0 ? 0 : k;
    }
    var start = stepOf(history.state);
    steps.forEach(function (s, k) { if (s.querySelector("[aria-invalid=true]")) { start = k; } });
    show(start, false);
    history.replaceState({ step: current }, "");
    window.addEventListener("popstate", function (e) { show(stepOf(e.state), true); });
    form.addEventListener("click", function (e) {
      var b = e.target.closest("[data-next],[data-prev]");
      if (!b || !form.contains(b)) { return; }
      e.preventDefault();
      show(current + (b.hasAttribute("data-next") ? 1 : -1), true, true);
    });
    form.addEventListener("invalid", function (e) {
      var s = e.target.closest(".step");
      if (s) { show(steps.indexOf(s), false); }
    }, true);
  });

  /* Quick answers for the hours since the massage. */
  all(".quick").forEach(function (group) {
    var input = group.parentNode.querySelector("input[type=number]");
    if (!input) { return; }
    function mark() {
      all("[data-hours]", group).forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-hours") === input.value));
      });
    }
    group.addEventListener("click", function (e) {
      var b = e.target.closest("[data-hours]");
      if (!b) { return; }
      input.value = b.getAttribute("data-hours");
      input.dispatchEvent(new Event("input", { bubbles: true }));
      mark();
    });
    input.addEventListener("input", mark);
    mark();
  });

  /* The body map: tapping an area opens a picker that sets its form field. */
  all("svg.bodymap[data-field]").forEach(function (map) {
    var field = map.getAttribute("data-field");
    var picker = doc.getElementById(map.getAttribute("data-picker"));
    if (!picker) { return; }
    var areaName = picker.querySelector(".picker-area");
    var kind = map.classList.contains("map-pressure") ? "pressure" : "pain";
    var chips = doc.getElementById(map.id + "-areas");
    var targets = [map].concat(chips ? [chips] : []);
    var active = null;
    var pressedOn = null;
    function chipOf(area) { return chips ? chips.querySelector("a.area-chip[data-area='" + area + "']") : null; }

    function input(area) { return doc.getElementById(field + area); }
    function short(value) {
      var b = picker.querySelector("[data-value='" + value + "']");
      return b ? b.getAttribute("data-short") : value;
    }
    function describe(label, value) {
      if (value === "") { return label + (kind === "pressure" ? ": not worked" : ": no rating"); }
      return kind === "pressure" ? label + ": " + value + " pressure" : label + ": pain " + value + " out of 10";
    }
    function paint(area) {
      var el = input(area);
      if (!el) { return; }
      var value = el.value.trim();
      if (kind === "pain" && value !== "" && !/^(10|[0-9])$/.test(value)) { value = ""; }
      targets.forEach(function (box) {
        all("[data-area='" + area + "']", box).forEach(function (r) {
          var base = r.classList.contains("area-chip") ? "area-chip" : "region";
          r.setAttribute("class", base + " v-" + (value === "" ? "unset" : value) + (r === active ? " is-active" : ""));
          var t = r.querySelector(".rv");
          if (t) { t.textContent = value === "" ? "" : short(value); }
          var sr = r.querySelector(".ac-sr");
          if (sr) { sr.textContent = describe("", value); }
        });
      });
    }
    function close(returnFocus) {
      picker.hidden = true;
      var was = active;
      active = null;
      if (was) { paint(was.getAttribute("data-area")); if (returnFocus) { was.focus(); } }
    }
    function open(region) {
      if (active) { close(false); }
      active = region;
      var area = region.getAttribute("data-area");
      areaName.textContent = region.getAttribute("data-label");
      var el = input(area);
      var value = el ? el.value.trim() : "";
      all(".pv", picker).forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === value));
      });
      picker.hidden = false;
      paint(area);
      var first = picker.querySelector(".pv[aria-pressed=true]") || picker.querySelector(".pv");
      if (first) { first.focus({ preventScroll: true }); }
      picker.scrollIntoView({ block: "nearest" });
    }
    targets.forEach(function (box) {
      box.addEventListener("click", function (e) {
        var region = e.target.closest("a.region, a.area-chip");
        if (!region) { return; }
        e.preventDefault();
        open(chipOf(region.getAttribute("data-area")) || region);
      });
      /* Enter or Space on an area opens the picker when the key comes up, so
         that the key does not also press the picker's first button; only a
         key that went down on the area opens it, so that the Enter that
         chose a value, whose key comes up after the focus is back on the
         area, does not open the picker again. */
      box.addEventListener("keydown", function (e) {
        var region = e.target.closest("a.region, a.area-chip");
        if ((e.key === "Enter" || e.key === " ") && region) { e.preventDefault(); pressedOn = region; }
      });
      box.addEventListener("keyup", function (e) {
        var region = e.target.closest("a.region, a.area-chip");
        if (!region || (e.key !== "Enter" && e.key !== " ")) { return; }
        e.preventDefault();
        if (pressedOn === region) { open(region); }
        pressedOn = null;
      });
    });
    picker.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b || !active) { return; }
      if (b.hasAttribute("data-value")) {
        var el = input(active.getAttribute("data-area"));
        if (el) {
          el.value = b.getAttribute("data-value");
          el.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      close(true);
    });
    picker.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(true); }
    });
    all("[id^='" + field + "']").forEach(function (el) {
      var area = el.id.slice(field.length);
      el.addEventListener("input", function () { paint(area); });
      el.addEventListener("change", function () { paint(area); });
    });
  });

  /* What was entered in a form comes back when the reader returns to the
     page with Back or Forward (the pages are never cached). */
  try {
    var nav = performance.getEntriesByType("navigation")[0];
    all("form.check, form.session-form").forEach(function (form) {
      var key = "aftercare-form:" + location.pathname + ":" + form.className;
      var fields = function () { return all("input, select, textarea", form).filter(function (el) { return el.name && el.type !== "hidden" && el.type !== "submit"; }); };
      if (nav && nav.type === "back_forward" && !form.querySelector("[aria-invalid=true]")) {
        var saved = JSON.parse(sessionStorage.getItem(key) || "null");
        if (saved) {
          fields().forEach(function (el) {
            var v = saved[el.name + (el.type === "checkbox" ? "=" + el.value : "")];
            if (v === undefined) { return; }
            if (el.type === "checkbox") { el.checked = v; } else { el.value = v; }
            el.dispatchEvent(new Event("change", { bubbles: true }));
          });
        }
      }
      var save = function () {
        var state = {};
        fields().forEach(function (el) {
          if (el.type === "checkbox") { state[el.name + "=" + el.value] = el.checked; } else { state[el.name] = el.value; }
        });
        sessionStorage.setItem(key, JSON.stringify(state));
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      /* A form that stores something starts afresh once sent: Back to it
         must not offer the same answers to send a second time. */
      if (!/\/check$/.test(form.getAttribute("action"))) {
        form.addEventListener("submit", function () { sessionStorage.removeItem(key); });
      }
    });
  } catch (err) { /* storage refused: the form starts afresh */ }

  /* The typed list of areas folds away once the map can be tapped. */
  all("details[data-collapse]").forEach(function (d) {
    if (!d.querySelector("[aria-invalid=true]")) { d.open = false; }
  });

  /* Print the aftercare sheet. */
  all("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  /* Copy the client's link. */
  all("[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var el = doc.getElementById(b.getAttribute("data-copy"));
      var note = doc.querySelector("[data-copied]");
      if (!el) { return; }
      el.select();
      var done = function () { if (note) { note.hidden = false; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(el.value).then(done, function () {});
      } else {
        try { if (doc.execCommand("copy")) { done(); } } catch (err) { /* the link stays selected to copy by hand */ }
      }
    });
  });

  /* Times in the reader's own zone: the page says them in the clinic's zone
     (or UTC), with its name; the reader's device knows its own. */
  all("time[data-local]").forEach(function (t) {
    var d = new Date(t.getAttribute("datetime"));
    if (isNaN(d.getTime())) { return; }
    try {
      t.textContent = d.toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    } catch (err) { /* the page's own words stay */ }
  });
})();

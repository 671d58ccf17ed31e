// The side views: journal (with the cancel advice of each transaction), audit trail, the
// acquirer's books per card, the wire log (each message field by field, field 55 as a tree),
// the device console, and the cheat sheet. All data comes from the server, card data masked.
"use strict";
(function (W) {
  var MAX_CONSOLE_LINES = 500;
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function money(minor) {
    var neg = minor < 0, v = Math.abs(minor), s = String(Math.floor(v / 100)) + "." + String(100 + (v % 100)).substring(1);
    return (neg ? "-" : "") + s;
  }
  function table(heads, rows) {
    var t = el("table"), h = el("tr");
    heads.forEach(function (x) { h.appendChild(el("th", {}, x)); });
    t.appendChild(h);
    rows.forEach(function (r) {
      var tr = el("tr");
      r.forEach(function (x) { tr.appendChild(el("td", {}, String(x))); });
      t.appendChild(tr);
    });
    return t;
  }
  function pad6(n) { return String(1000000 + n).substring(1); }

  function journal(j) {
    var box = $("view-journal");
    box.textContent = "";
    if (j.error) box.appendChild(el("p", { "class": "bad" }, j.error));
    box.appendChild(el("p", {}, "batch " + pad6(j.batch) + ", journal " + j.fill_percent + "% full" + (j.torn_tail ? ", torn tail at " + j.torn_tail + " (normal after a power cut)" : "") + (j.corrupt.length ? ", CORRUPT: " + j.corrupt.join("; ") : "")));
    var pending = j.reversals.filter(function (r) { return r.state !== "completed"; });
    if (pending.length > 0) box.appendChild(table(["reversal", "trace", "reason", "attempts", "state"], pending.map(function (r) { return ["#" + r.id, pad6(r.batch) + "/" + pad6(r.stan), r.reason, r.attempts, r.state]; })));
    box.appendChild(table(["batch/trace", "kind", "amount", "card", "state", "rrn", "rc", "can it be cancelled?"], j.txns.slice().reverse().map(function (t) {
      return [pad6(t.batch) + "/" + pad6(t.stan), t.kind, money(t.amount_minor) + (t.refunded_minor > 0 ? " (refunded " + money(t.refunded_minor) + ")" : ""), t.pan, t.state, t.rrn || "-", t.rc || "-", t.advice];
    })));
  }

  function audit(j) {
    var box = $("view-audit");
    box.textContent = "";
    box.appendChild(el("p", {}, j.audit.length + " cancellation(s) kept" + (j.audit_dropped > 0 ? ", " + j.audit_dropped + " dropped after a settlement report printed them" : "")));
    box.appendChild(table(["time", "operator", "kind", "reason", "original", "rrn", "amount", "outcome"], j.audit.slice().reverse().map(function (a) {
      return [a.t_s, a.operator, a.kind, a.reason, pad6(a.batch) + "/" + pad6(a.stan), a.rrn || "-", money(a.amount_minor), a.outcome];
    })));
  }

  function books(ledger) {
    var box = $("view-books");
    box.textContent = "";
    if (!ledger) { box.appendChild(el("p", {}, "the books of a remote acquirer are not visible here")); return; }
    ledger.forEach(function (c) {
      if (c.txns.length === 0) return;
      var s = el("section", { "class": "account" });
      s.appendChild(el("h3", {}, c.pan + ": balance " + money(c.balance_minor) + " (opening " + money(c.opening_minor) + ")"));
      s.appendChild(table(["kind", "terminal", "batch/trace", "amount", "rrn", "rc", "state"], c.txns.map(function (t) { return [t.kind, t.tid, t.batch + "/" + t.stan, money(t.amount_minor), t.rrn || "-", t.rc, t.state]; })));
      box.appendChild(s);
    });
    if (!box.firstChild) box.appendChild(el("p", {}, "no card activity yet"));
  }

  function tree(nodes) {
    var ul = el("ul", { "class": "tlv" });
    nodes.forEach(function (n) {
      var li = el("li", {}, n.tag + " " + n.name + (n.value !== undefined ? ": " + n.value : ""));
      if (n.children) li.appendChild(tree(n.children));
      ul.appendChild(li);
    });
    return ul;
  }

  function wire(e) {
    var box = $("view-wire");
    var d = el("details", { "class": "msg " + e.dir });
    var sum = (e.dir === "out" ? "→ " : "← ") + e.mti + (e.stan ? " trace " + e.stan : "") + (e.rc ? " rc " + e.rc : "") + " (" + e.bytes + " bytes)";
    d.appendChild(el("summary", {}, "#" + e.n + " " + sum));
    if (e.error) d.appendChild(el("p", { "class": "bad" }, e.error));
    var t = el("table");
    e.fields.forEach(function (f) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, String(f.no)));
      tr.appendChild(el("td", {}, f.format));
      tr.appendChild(el("td", {}, f.name));
      var v = el("td", {}, f.value);
      if (f.tree) v.appendChild(tree(f.tree));
      tr.appendChild(v);
      t.appendChild(tr);
    });
    d.appendChild(t);
    box.insertBefore(d, box.firstChild);
    while (box.childNodes.length > 200) box.removeChild(box.lastChild);
  }

  function consoleLine(text) {
    var box = $("view-console");
    box.appendChild(document.createTextNode(text + "\n"));
    while (box.childNodes.length > MAX_CONSOLE_LINES) box.removeChild(box.firstChild);
  }

  function cheatSheet(box, p) {
    box.appendChild(el("h3", {}, "Magic amounts (the cents of a sale amount)"));
    box.appendChild(table(["cents", "rc", "what happens"], p.magic.map(function (m) { return ["." + String(100 + m.cents).substring(1), m.rc, m.label]; })));
    box.appendChild(el("h3", {}, "Test cards"));
    box.appendChild(table(["card", "chip", "tap", "what it does"], p.cards.map(function (c) { return [c.name, c.chip ? "yes" : "", c.contactless ? "yes" : "", c.label]; })));
  }

  W.posrtViews = {
    render: function (m) { journal(m.journal); audit(m.journal); books(m.ledger); },
    wire: wire,
    console: consoleLine,
    cheatSheet: cheatSheet
  };
})(window);

/* Kinerja rule editor: a no-code editor over the rule document (docs/rules.md).
 *
 * The document is edited in place: every widget writes into the JSON object it shows, and the form posts the whole
 * document as JSON (in the hidden `document` field, with the page's CSRF token) when saved. Keys the editor does not
 * know are kept as they are, so opening and saving without a change leaves the document (and its hash) unchanged.
 * Nothing from the data is ever parsed as HTML: every text goes through textContent or an attribute value.
 */
(function () {
  "use strict";

  var root = document.getElementById("rule-editor");
  if (!root) { return; }
  var DATA = JSON.parse(document.getElementById("editor-data").textContent);
  var CAT = JSON.parse(document.getElementById("editor-catalogue").textContent);
  var T = JSON.parse(document.getElementById("editor-texts").textContent);
  var form = document.getElementById("editor-form");
  var readonly = root.getAttribute("data-readonly") === "1";

  var FACTS = {}, ACTIONS = {}, OUTPUTS = {};
  CAT.facts.forEach(function (f) { FACTS[f.id] = f; });
  CAT.actions.forEach(function (a) { ACTIONS[a.code] = a; });
  CAT.outputs.forEach(function (o) { OUTPUTS[o.id] = o; });
  var doc = clone(DATA.document);
  var baseline = DATA.baseline;
  var isOverride = !!DATA.extends && !!baseline;
  var contoh = !!DATA.contoh;
  var model = {};          // stage -> {entries: [...], origLen, origKinds, body}
  var pathIndex = [];      // [element, [paths]] filled while rendering

  // --- small helpers -------------------------------------------------------------------------------------------
  function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) { return; }
        if (k === "text") { node.textContent = String(v); }
        else if (k === "className") { node.className = v; }
        else { node.setAttribute(k, v === true ? "" : String(v)); }
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function mark(node, paths) { pathIndex.push([node, paths]); node.setAttribute("data-path", paths[0]); return node; }
  function button(text, cls, onClick, title) {
    var b = el("button", {type: "button", className: "btn btn-sm " + cls, text: text, title: title || null});
    b.addEventListener("click", function (e) { e.preventDefault(); onClick(); });
    return b;
  }
  function option(value, label, selected) {
    var o = el("option", {value: value, text: label});
    if (selected) { o.selected = true; }
    return o;
  }
  function valueLabel(v) {
    if (typeof v === "boolean") { return v ? T.yes : T.no; }
    if (typeof v === "string" && own(CAT.values, v)) { return CAT.values[v]; }
    return String(v);
  }
  function factLabel(id) { return own(FACTS, id) ? FACTS[id].label : String(id); }
  function opLabel(op, type) {
    if ((type === "enum" || type === "string" || type === "boolean") && own(CAT.enum_op_labels, op)) {
      return CAT.enum_op_labels[op];
    }
    var label = own(CAT.op_labels, op) ? CAT.op_labels[op] : String(op);
    return ["<", "<=", ">", ">="].indexOf(op) >= 0 ? label + " (" + op.replace("<=", "≤").replace(">=", "≥") + ")" : label;
  }
  function parseNumber(text) {
    var s = String(text).trim().replace(",", ".");
    if (s === "") { return null; }
    var n = Number(s);
    return isFinite(n) ? n : s;   // a non-number is kept as text: the server says what is wrong, at the field
  }
  function defaultFor(type, values) {
    if (type === "enum") { return values && values.length ? values[0] : ""; }
    if (type === "boolean") { return true; }
    if (type === "string") { return ""; }
    return 0;
  }
  function stageOutputs(stage) { return CAT.outputs.filter(function (o) { return o.stage === stage; }); }
  function stageFacts(stage) { return (CAT.stage_facts[stage] || []).map(function (id) { return FACTS[id]; }); }
  function ruleId(rule) { return isObj(rule) && typeof rule.id === "string" ? rule.id : ""; }
  function numberClass() { return "form-control form-control-sm value-number" + (contoh ? " contoh-input" : ""); }
  function allIds() {
    var ids = {};
    Object.keys(model).forEach(function (s) {
      model[s].entries.forEach(function (e) { ids[e.rule ? ruleId(e.rule) : e.base.id] = true; });
    });
    return ids;
  }
  function freshId(prefix) {
    var ids = allIds(), n = 1;
    while (ids[prefix + "_" + n]) { n += 1; }
    return prefix + "_" + n;
  }

  // --- the model: per stage, the rules in the order they apply ---------------------------------------------------
  function buildStage(stage) {
    var stages = isObj(doc.stages) ? doc.stages : {};
    var body = isObj(stages[stage]) ? stages[stage] : null;
    var rules = body && Array.isArray(body.rules) ? body.rules : [];
    var state = {entries: [], origLen: rules.length, origKinds: [], body: body,
                 hadRules: !!(body && own(body, "rules")), hadRemove: !!(body && own(body, "remove"))};
    if (!isOverride) {
      rules.forEach(function (r, i) { state.entries.push({kind: "own", rule: r, orig: i}); state.origKinds.push("own"); });
      return state;
    }
    var baseRules = baseline.stages && isObj(baseline.stages[stage]) ? baseline.stages[stage].rules || [] : [];
    var removed = body && Array.isArray(body.remove) ? body.remove : [];
    var byId = {};
    rules.forEach(function (r, i) { if (ruleId(r)) { byId[ruleId(r)] = i; } });
    var baseIds = {};
    baseRules.forEach(function (b) {
      baseIds[b.id] = true;
      if (own(byId, b.id)) {
        state.entries.push({kind: "override", rule: rules[byId[b.id]], base: b, orig: byId[b.id]});
      } else {
        state.entries.push({kind: removed.indexOf(b.id) >= 0 ? "removed" : "baseline", base: b});
      }
    });
    state.unknownRemoved = removed.filter(function (id) { return !baseIds[id]; });
    rules.forEach(function (r, i) {
      var isAdded = !(ruleId(r) && baseIds[ruleId(r)]);
      state.origKinds.push(isAdded ? "added" : "override");
      if (!isAdded) { return; }
      var entry = {kind: "added", rule: r, orig: i};
      var before = isObj(r) ? r.before : undefined;
      var at = -1;
      if (typeof before === "string") {
        at = state.entries.findIndex(function (e) { return (e.rule ? ruleId(e.rule) : e.base.id) === before; });
      }
      if (at < 0) { state.entries.push(entry); } else { state.entries.splice(at, 0, entry); }
    });
    return state;
  }

  function serializeStage(stage, state) {
    var entries = state.entries;
    var body = state.body ? state.body : {};
    if (!isOverride) {
      var rules = entries.map(function (e) { return e.rule; });
      if (!rules.length && !state.body) { return null; }
      body.rules = rules;
      return body;
    }
    entries.forEach(function (e, i) {
      if (e.kind !== "added" || !isObj(e.rule)) { return; }
      var next = null;
      for (var j = i + 1; j < entries.length; j++) {
        if (entries[j].kind === "baseline" || entries[j].kind === "override") {
          next = entries[j].rule ? ruleId(entries[j].rule) : entries[j].base.id;
          break;
        }
      }
      if (next) { e.rule.before = next; } else { delete e.rule.before; }
    });
    var added = entries.filter(function (e) { return e.kind === "added"; });
    var overrides = entries.filter(function (e) { return e.kind === "override"; });
    var out = [], used = [], ai = 0;
    for (var i = 0; i < state.origLen; i++) {
      var ov = overrides.find(function (e) { return e.orig === i; });
      if (ov) { out.push(ov.rule); used.push(ov); continue; }
      if (state.origKinds[i] === "added" && ai < added.length) { out.push(added[ai].rule); ai += 1; }
    }
    overrides.forEach(function (e) { if (used.indexOf(e) < 0) { out.push(e.rule); } });
    for (; ai < added.length; ai++) { out.push(added[ai].rule); }
    var removed = entries.filter(function (e) { return e.kind === "removed"; }).map(function (e) { return e.base.id; });
    removed = removed.concat(state.unknownRemoved || []);
    if (!state.body && !out.length && !removed.length) { return null; }
    if (out.length || state.hadRules) { body.rules = out; } else { delete body.rules; }
    if (removed.length || state.hadRemove) { body.remove = removed; } else { delete body.remove; }
    return body;
  }

  function serialize() {
    var out = {};
    Object.keys(doc).forEach(function (k) { if (k !== "stages") { out[k] = doc[k]; } });
    var stages = {};
    var original = isObj(doc.stages) ? doc.stages : {};
    Object.keys(original).forEach(function (s) {
      if (own(model, s)) {
        var body = serializeStage(s, model[s]);
        if (body) { stages[s] = body; }
      } else { stages[s] = original[s]; }
    });
    Object.keys(model).forEach(function (s) {
      if (!own(stages, s) && !own(original, s)) {
        var body = serializeStage(s, model[s]);
        if (body) { stages[s] = body; }
      }
    });
    if (own(doc, "stages") && !isObj(doc.stages)) { out.stages = doc.stages; } else { out.stages = stages; }
    return out;
  }

  // --- describing a rule in words (read-only baseline rules) --------------------------------------------------------
  function describeValue(v) {
    return Array.isArray(v) ? v.map(valueLabel).join(", ") : valueLabel(v);
  }
  function describeCond(c) {
    if (!isObj(c)) { return String(c); }
    if (Array.isArray(c.all)) { return c.all.map(describeCond).join(" " + T.and + " "); }
    if (Array.isArray(c.any)) { return "(" + c.any.map(describeCond).join(" " + T.or + " ") + ")"; }
    if (own(c, "not")) { return T.not + " (" + describeCond(c.not) + ")"; }
    var type = own(FACTS, c.fact) ? FACTS[c.fact].type : "number";
    var text = factLabel(c.fact) + " " + opLabel(c.op, type);
    if (c.op === "between" && Array.isArray(c.value)) { return text + " " + describeValue(c.value[0]) + " " + T.to + " " + describeValue(c.value[1]); }
    return c.op === "is_set" ? text : text + " " + describeValue(c.value);
  }
  function describeRule(r) {
    var parts = [];
    if (own(r, "table")) { parts.push(T.table_label + " (" + ((r.table && r.table.rows) || []).length + " " + T.rows + ")"); }
    else if (own(r, "otherwise")) { parts.push(T.otherwise); }
    else { parts.push(T.if_ + " " + describeCond(r.when)); }
    if (isObj(r.set)) {
      parts.push("→ " + Object.keys(r.set).map(function (k) {
        return (own(OUTPUTS, k) ? OUTPUTS[k].label : k) + " = " + describeValue(r.set[k]);
      }).join("; "));
    }
    if (Array.isArray(r.actions)) {
      parts.push("→ " + r.actions.map(function (a) { return own(ACTIONS, a.code) ? ACTIONS[a.code].label : String(a.code); }).join(", "));
    }
    return parts.join(" ");
  }

  // --- value widgets -------------------------------------------------------------------------------------------
  /* A widget for one scalar of a type; get() reads the object, set(v) writes it. */
  function scalarInput(type, values, get, set, path, label) {
    var v = get();
    if (type === "enum") {
      var sel = el("select", {className: "form-control form-control-sm value-enum", "aria-label": label});
      var known = (values || []).indexOf(v) >= 0;
      if (!known) { sel.appendChild(option("", v === undefined || v === null ? "—" : String(v) + " (?)", true)); }
      (values || []).forEach(function (x) { sel.appendChild(option(x, valueLabel(x), x === v)); });
      sel.addEventListener("change", function () { set(sel.value); });
      return mark(sel, [path]);
    }
    if (type === "boolean") {
      var box = el("input", {type: "checkbox", className: "form-check-input value-bool", "aria-label": label});
      box.checked = v === true;
      box.addEventListener("change", function () { set(box.checked); });
      var wrap = el("div", {className: "form-check form-check-inline ml-1"}, [box, el("label", {className: "form-check-label", text: T.yes})]);
      return mark(wrap, [path]);
    }
    if (type === "number" || type === "integer") {
      var num = el("input", {type: "text", inputmode: "decimal", className: numberClass(), "aria-label": label,
                             title: contoh ? T.contoh : null, value: v === undefined || v === null ? "" : String(v)});
      num.addEventListener("input", function () { set(parseNumber(num.value)); });
      return mark(num, [path]);
    }
    var txt = el("input", {type: "text", className: "form-control form-control-sm value-text", "aria-label": label,
                           value: v === undefined || v === null ? "" : String(v)});
    txt.addEventListener("input", function () { set(txt.value); });
    return mark(txt, [path]);
  }

  /* The value editor of a condition `leaf` ({fact, op, value}); `rerender` redraws the leaf. */
  function valueEditor(leaf, spec, path) {
    var type = spec ? spec.type : "number", values = spec ? spec.values : [];
    var op = leaf.op;
    if (op === "is_set") { return el("span", {className: "text-muted small", text: ""}); }
    if (op === "between") {
      if (!Array.isArray(leaf.value)) { leaf.value = [null, null]; }
      return el("span", {className: "d-inline-flex align-items-center value-between"}, [
        scalarInput(type, values, function () { return leaf.value[0]; }, function (x) { leaf.value[0] = x; }, path + "[0]", T.low),
        el("span", {className: "mx-1", text: T.to}),
        scalarInput(type, values, function () { return leaf.value[1]; }, function (x) { leaf.value[1] = x; }, path + "[1]", T.high)]);
    }
    if (op === "in") {
      if (!Array.isArray(leaf.value)) { leaf.value = leaf.value === undefined ? [] : [leaf.value]; }
      if (type === "enum") {
        var group = el("span", {className: "value-in d-inline-flex flex-wrap", role: "group", "aria-label": T.choose_many});
        values.forEach(function (x) {
          var id = "in" + Math.random().toString(36).slice(2);
          var box = el("input", {type: "checkbox", className: "form-check-input", id: id, value: x});
          box.checked = leaf.value.indexOf(x) >= 0;
          box.addEventListener("change", function () {
            var chosen = values.filter(function (y) {
              return y === x ? box.checked : leaf.value.indexOf(y) >= 0;
            });
            leaf.value = chosen;
          });
          group.appendChild(el("span", {className: "form-check form-check-inline"}, [box, el("label", {className: "form-check-label", "for": id, text: valueLabel(x)})]));
        });
        return mark(group, [path]);
      }
      var list = el("input", {type: "text", className: (type === "string" ? "form-control form-control-sm" : numberClass()) + " value-list",
                              placeholder: T.comma_list, value: leaf.value.join(", ")});
      list.addEventListener("input", function () {
        leaf.value = list.value.split(/[;,]\s*/).filter(function (s) { return s.trim() !== ""; })
          .map(function (s) { return type === "string" ? s.trim() : parseNumber(s); });
      });
      return mark(list, [path]);
    }
    if (Array.isArray(leaf.value)) { leaf.value = leaf.value[0]; }
    return scalarInput(type, values, function () { return leaf.value; }, function (x) { leaf.value = x; }, path, T.value);
  }

  function fixLeaf(leaf) {
    var spec = FACTS[leaf.fact];
    if (!spec) { return; }
    var ops = CAT.ops[spec.type];
    if (ops.indexOf(leaf.op) < 0) { leaf.op = ops[0] || "="; }
    if (leaf.op === "is_set") { delete leaf.value; }
    else if (leaf.op === "between") { leaf.value = [defaultFor(spec.type, spec.values), defaultFor(spec.type, spec.values)]; }
    else if (leaf.op === "in") { leaf.value = spec.type === "enum" ? [] : []; }
    else { leaf.value = defaultFor(spec.type, spec.values); }
  }

  function factSelect(stage, current, path, onChange) {
    var sel = el("select", {className: "form-control form-control-sm fact-select", "aria-label": T.fact});
    var groups = {input: T.facts_input, derived: T.facts_derived, output: T.facts_output};
    var seen = false;
    Object.keys(groups).forEach(function (source) {
      var og = el("optgroup", {label: groups[source]});
      stageFacts(stage).forEach(function (f) {
        if (f.source !== source) { return; }
        og.appendChild(option(f.id, f.label, f.id === current));
        if (f.id === current) { seen = true; }
      });
      if (og.children.length) { sel.appendChild(og); }
    });
    if (!seen) { sel.insertBefore(option(current === undefined ? "" : String(current), (current ? String(current) : "—") + " (?)", true), sel.firstChild); }
    sel.addEventListener("change", function () { onChange(sel.value); });
    return mark(sel, [path]);
  }

  // --- conditions --------------------------------------------------------------------------------------------
  var DEFAULT_FACT = {iki_rating: "iki.capaian", hasil_kerja: "capaian_tertimbang", perilaku: "jumlah_perilaku_di_bawah",
                      predikat: "rating_hasil_kerja", skor: "predikat", triggers: "predikat"};
  function newLeaf(stage) {
    var f = FACTS[DEFAULT_FACT[stage]] || stageFacts(stage)[0];
    var leaf = {fact: f.id, op: CAT.ops[f.type][0]};
    fixLeaf(leaf);
    return leaf;
  }

  /* The condition at holder[key], drawn into a fresh element; `redraw` redraws the whole rule. */
  function conditionEditor(holder, key, stage, path, redraw, removable, onRemove, isRoot) {
    var node = holder[key];
    var box = el("div", {className: "cond"});
    var head = el("div", {className: "d-flex flex-wrap align-items-center cond-row"});
    box.appendChild(head);
    var neg = el("input", {type: "checkbox", className: "form-check-input cond-not"});
    neg.checked = isObj(node) && own(node, "not");
    neg.addEventListener("change", function () {
      holder[key] = neg.checked ? {not: holder[key]} : holder[key].not;
      redraw();
    });
    head.appendChild(el("span", {className: "form-check form-check-inline mr-1", title: T.not_help}, [neg, el("label", {className: "form-check-label small", text: T.not})]));
    if (isObj(node) && own(node, "not")) {
      box.appendChild(conditionEditor(node, "not", stage, path + ".not", redraw, false, null, false));
      if (removable) { head.appendChild(button("✕", "btn-outline-danger ml-auto", onRemove, T.remove_condition)); }
      return mark(box, [path]);
    }
    if (isObj(node) && (Array.isArray(node.all) || Array.isArray(node.any))) {
      var mode = Array.isArray(node.all) ? "all" : "any";
      var sel = el("select", {className: "form-control form-control-sm w-auto cond-mode", "aria-label": T.group});
      sel.appendChild(option("all", T.all, mode === "all"));
      sel.appendChild(option("any", T.any, mode === "any"));
      sel.addEventListener("change", function () {
        var items = node[mode];
        delete node[mode];
        node[sel.value] = items;
        redraw();
      });
      head.appendChild(sel);
      if (removable) { head.appendChild(button("✕", "btn-outline-danger ml-auto", onRemove, T.remove_condition)); }
      var list = el("div", {className: "cond-items pl-3 border-left"});
      node[mode].forEach(function (item, i) {
        list.appendChild(conditionEditor(node[mode], i, stage, path + "." + mode + "[" + i + "]", redraw, true, function () {
          node[mode].splice(i, 1);
          redraw();
        }, false));
      });
      var adders = el("div", {className: "mt-1"}, [
        button("+ " + T.add_condition, "btn-outline-secondary mr-1 add-condition", function () { node[mode].push(newLeaf(stage)); redraw(); }),
        button("+ " + T.add_group, "btn-outline-secondary", function () { node[mode].push({any: [newLeaf(stage)]}); redraw(); })]);
      list.appendChild(adders);
      box.appendChild(list);
      return mark(box, [path, path + "." + mode]);
    }
    if (!isObj(node) || !own(node, "fact")) {
      head.appendChild(el("span", {className: "text-danger small", text: T.bad_condition}));
      head.appendChild(button(T.replace_condition, "btn-outline-secondary ml-1", function () { holder[key] = newLeaf(stage); redraw(); }));
      return mark(box, [path]);
    }
    var leaf = node;
    var spec = FACTS[leaf.fact];
    head.appendChild(factSelect(stage, leaf.fact, path + ".fact", function (value) {
      leaf.fact = value;
      fixLeaf(leaf);
      redraw();
    }));
    var opSel = el("select", {className: "form-control form-control-sm w-auto op-select", "aria-label": T.operator});
    var ops = spec ? CAT.ops[spec.type] : [leaf.op];
    if (ops.indexOf(leaf.op) < 0) { opSel.appendChild(option(String(leaf.op), String(leaf.op) + " (?)", true)); }
    ops.forEach(function (o) { opSel.appendChild(option(o, opLabel(o, spec ? spec.type : "number"), o === leaf.op)); });
    opSel.addEventListener("change", function () {
      var old = leaf.value;
      leaf.op = opSel.value;
      if (leaf.op === "is_set") { delete leaf.value; }
      else if (leaf.op === "between") { leaf.value = Array.isArray(old) ? old.slice(0, 2) : [old, old]; }
      else if (leaf.op === "in") { leaf.value = Array.isArray(old) ? old : (old === undefined ? [] : [old]); }
      else if (Array.isArray(old)) { leaf.value = old[0]; }
      else if (old === undefined) { leaf.value = defaultFor(spec.type, spec.values); }
      redraw();
    });
    head.appendChild(mark(opSel, [path + ".op"]));
    head.appendChild(valueEditor(leaf, spec, path + ".value"));
    if (isRoot) {
      head.appendChild(button("+ " + T.add_condition, "btn-outline-secondary ml-2 add-condition", function () {
        holder[key] = {all: [leaf, newLeaf(stage)]};
        redraw();
      }));
    }
    if (removable) { head.appendChild(button("✕", "btn-outline-danger ml-auto", onRemove, T.remove_condition)); }
    return mark(box, [path]);
  }

  // --- outputs (set) and actions ------------------------------------------------------------------------------
  function setEditor(holder, stage, path, redraw) {
    var box = el("div", {className: "set-editor"});
    var outputs = stageOutputs(stage);
    var entries = isObj(holder.set) ? Object.keys(holder.set).map(function (k) { return [k, holder.set[k]]; }) : [];
    function write() {
      if (entries.length) { holder.set = Object.fromEntries(entries); } else { delete holder.set; }
    }
    entries.forEach(function (pair, i) {
      var line = el("div", {className: "d-flex flex-wrap align-items-center mb-1 set-line"});
      var sel = el("select", {className: "form-control form-control-sm w-auto output-select", "aria-label": T.output});
      if (!outputs.some(function (o) { return o.id === pair[0]; })) { sel.appendChild(option(pair[0], pair[0] + " (?)", true)); }
      outputs.forEach(function (o) { sel.appendChild(option(o.id, o.label, o.id === pair[0])); });
      sel.addEventListener("change", function () {
        var o = OUTPUTS[sel.value];
        pair[0] = sel.value;
        pair[1] = defaultFor(o.type, o.values);
        write();
        redraw();
      });
      line.appendChild(mark(sel, [path + ".set." + pair[0] + "#output"]));
      line.appendChild(el("span", {className: "mx-1", text: "="}));
      var spec = OUTPUTS[pair[0]] || {type: "number", values: []};
      line.appendChild(scalarInput(spec.type, spec.values, function () { return pair[1]; },
                                   function (v) { pair[1] = v; write(); }, path + ".set." + pair[0], T.value));
      line.appendChild(button("✕", "btn-outline-danger ml-1", function () { entries.splice(i, 1); write(); redraw(); }, T.remove));
      box.appendChild(line);
    });
    var free = outputs.filter(function (o) { return !entries.some(function (p) { return p[0] === o.id; }); });
    if (free.length) {
      box.appendChild(button("+ " + T.add_output, "btn-outline-secondary add-output", function () {
        entries.push([free[0].id, defaultFor(free[0].type, free[0].values)]);
        write();
        redraw();
      }));
    }
    return mark(box, [path + ".set"]);
  }

  function actionSelect(current, onChange) {
    var sel = el("select", {className: "form-control form-control-sm w-auto action-select", "aria-label": T.action});
    if (!own(ACTIONS, current)) { sel.appendChild(option(String(current), String(current) + " (?)", true)); }
    ["reward", "coaching", "punishment"].forEach(function (kind) {
      var og = el("optgroup", {label: T["kind_" + kind]});
      CAT.actions.forEach(function (a) { if (a.kind === kind) { og.appendChild(option(a.code, a.label, a.code === current)); } });
      sel.appendChild(og);
    });
    sel.addEventListener("change", function () { onChange(sel.value); });
    return sel;
  }

  function textField(obj, key, label, path, cls) {
    var input = el("input", {type: "text", className: "form-control form-control-sm " + (cls || ""), "aria-label": label,
                             placeholder: label, value: typeof obj[key] === "string" ? obj[key] : (obj[key] === undefined ? "" : JSON.stringify(obj[key]))});
    input.addEventListener("input", function () { if (input.value === "") { delete obj[key]; } else { obj[key] = input.value; } });
    return mark(input, [path]);
  }

  function actionsEditor(holder, stage, path, redraw) {
    var box = el("div", {className: "actions-editor"});
    var list = Array.isArray(holder.actions) ? holder.actions : [];
    list.forEach(function (action, i) {
      if (!isObj(action)) { return; }
      var spec = ACTIONS[action.code];
      var apath = path + ".actions[" + (spec ? action.code : i) + "]";
      var card = el("div", {className: "action-line border rounded p-1 mb-1"});
      var line = el("div", {className: "d-flex flex-wrap align-items-center"});
      line.appendChild(mark(actionSelect(action.code, function (code) {
        action.code = code;
        var params = {};
        ACTIONS[code].params.forEach(function (p) { if (p.required) { params[p.name] = null; } });
        if (Object.keys(params).length) { action.params = params; } else { delete action.params; }
        redraw();
      }), [apath + ".code", path + ".actions[" + i + "].code"]));
      (spec ? spec.params : []).forEach(function (p) {
        line.appendChild(el("span", {className: "ml-2 mr-1 small", text: p.label + (p.required ? " *" : "")}));
        line.appendChild(scalarInput(p.type, p.values, function () {
          return isObj(action.params) ? action.params[p.name] : undefined;
        }, function (v) {
          if (!isObj(action.params)) { action.params = {}; }
          if (v === "" || v === null) { if (p.required) { action.params[p.name] = null; } else { delete action.params[p.name]; } }
          else { action.params[p.name] = v; }
          if (!Object.keys(action.params).length) { delete action.params; }
        }, apath + ".params." + p.name, p.label));
      });
      line.appendChild(button("✕", "btn-outline-danger ml-auto", function () {
        list.splice(i, 1);
        if (!list.length) { delete holder.actions; }
        redraw();
      }, T.remove_action));
      card.appendChild(line);
      var details = el("details", {className: "small mt-1"});
      details.appendChild(el("summary", {text: T.action_details}));
      var grid = el("div", {className: "form-row"});
      var due = el("input", {type: "text", inputmode: "numeric", className: numberClass(), "aria-label": T.due_days,
                             placeholder: spec ? T.default_ + " " + spec.due_days : "", value: own(action, "due_days") ? String(action.due_days) : ""});
      due.addEventListener("input", function () { var v = parseNumber(due.value); if (v === null) { delete action.due_days; } else { action.due_days = v; } });
      grid.appendChild(el("div", {className: "col-md-2"}, [el("label", {className: "mb-0", text: T.due_days}), mark(due, [apath + ".due_days"])]));
      var owner = el("select", {className: "form-control form-control-sm", "aria-label": T.owner});
      owner.appendChild(option("", T.default_ + (spec ? " (" + (CAT.owners[spec.owner] || spec.owner) + ")" : ""), !own(action, "owner")));
      Object.keys(CAT.owners).forEach(function (o) { owner.appendChild(option(o, CAT.owners[o], action.owner === o)); });
      owner.addEventListener("change", function () { if (owner.value) { action.owner = owner.value; } else { delete action.owner; } });
      grid.appendChild(el("div", {className: "col-md-3"}, [el("label", {className: "mb-0", text: T.owner}), mark(owner, [apath + ".owner"])]));
      grid.appendChild(el("div", {className: "col-md-3"}, [el("label", {className: "mb-0", text: T.note}), textField(action, "note", T.note, apath + ".note")]));
      grid.appendChild(el("div", {className: "col-md-4"}, [el("label", {className: "mb-0", text: T.legal_basis}),
        textField(action, "legal_basis", T.legal_basis, apath + ".legal_basis", contoh ? "contoh-input" : "")]));
      details.appendChild(grid);
      card.appendChild(details);
      box.appendChild(mark(card, [apath, path + ".actions[" + i + "]"]));
    });
    box.appendChild(button("+ " + T.add_action, "btn-outline-secondary add-action", function () {
      var first = CAT.actions.find(function (a) { return DATA.kind !== "coaching" || a.kind === "coaching"; });
      var action = {code: first.code};
      first.params.forEach(function (p) { if (p.required) { action.params = action.params || {}; action.params[p.name] = null; } });
      if (!Array.isArray(holder.actions)) { holder.actions = []; }
      holder.actions.push(action);
      redraw();
    }));
    return mark(box, [path + ".actions"]);
  }

  // --- decision tables ----------------------------------------------------------------------------------------
  function cellOp(cell) {
    if (cell === "-") { return "-"; }
    if (isObj(cell)) { return cell.op; }
    return "=";
  }

  function cellEditor(row, c, fact, stage, path, redraw) {
    var spec = FACTS[fact];
    var cell = row.when[c];
    var wrap = el("div", {className: "d-flex flex-wrap align-items-center cell"});
    var sel = el("select", {className: "form-control form-control-sm w-auto cell-op", "aria-label": T.operator});
    sel.appendChild(option("-", T.any_value, cell === "-"));
    var ops = spec ? CAT.ops[spec.type] : ["="];
    var current = cellOp(cell);
    if (current !== "-" && ops.indexOf(current) < 0) { sel.appendChild(option(String(current), String(current) + " (?)", true)); }
    ops.forEach(function (o) { sel.appendChild(option(o, opLabel(o, spec ? spec.type : "number"), o === current)); });
    sel.addEventListener("change", function () {
      var op = sel.value;
      var old = isObj(cell) ? cell.value : (cell === "-" ? undefined : cell);
      var leaf = {fact: fact, op: op, value: old};
      if (op === "-") { row.when[c] = "-"; redraw(); return; }
      if (op === "is_set") { row.when[c] = {op: "is_set"}; redraw(); return; }
      if (op === "between") { leaf.value = Array.isArray(old) ? old.slice(0, 2) : [old === undefined ? null : old, old === undefined ? null : old]; }
      else if (op === "in") { leaf.value = Array.isArray(old) ? old : (old === undefined ? [] : [old]); }
      else if (Array.isArray(old)) { leaf.value = old[0]; }
      else if (old === undefined) { leaf.value = spec ? defaultFor(spec.type, spec.values) : null; }
      row.when[c] = op === "=" ? leaf.value : {op: op, value: leaf.value};
      redraw();
    });
    wrap.appendChild(mark(sel, [path + ".op"]));
    if (current === "-" || current === "is_set") { return mark(wrap, [path]); }
    if (current !== "=") {
      wrap.appendChild(valueEditor(cell, spec, path + ".value"));   // {op, value}: edited in place
      return mark(wrap, [path]);
    }
    var leafView = {op: "=", value: cell};
    var editor = valueEditor(leafView, spec, path + ".value");
    // a literal cell is a value, not an object: copy it back once the widget's own handler has run (bubbling)
    function sync() { row.when[c] = leafView.value; }
    wrap.addEventListener("input", sync);
    wrap.addEventListener("change", sync);
    wrap.appendChild(editor);
    return mark(wrap, [path]);
  }

  function tableEditor(rule, stage, path, redraw) {
    var table = rule.table;
    var box = el("div", {className: "table-editor"});
    if (!isObj(table) || !Array.isArray(table.inputs) || !Array.isArray(table.rows)) {
      box.appendChild(el("p", {className: "text-danger small", text: T.bad_table}));
      return mark(box, [path]);
    }
    var top = el("div", {className: "form-inline mb-1"});
    var hit = el("select", {className: "form-control form-control-sm mr-2 hit-policy", "aria-label": T.hit_policy});
    ["first", "unique", "collect"].forEach(function (h) { hit.appendChild(option(h, T["hit_" + h], (table.hit_policy || "first") === h)); });
    hit.addEventListener("change", function () { table.hit_policy = hit.value; });
    top.appendChild(el("label", {className: "mr-1 small", text: T.hit_policy}));
    top.appendChild(mark(hit, [path + ".hit_policy"]));
    var gaps = el("input", {type: "checkbox", className: "form-check-input"});
    gaps.checked = table.allow_gaps === true;
    gaps.addEventListener("change", function () { if (gaps.checked) { table.allow_gaps = true; } else { delete table.allow_gaps; } });
    top.appendChild(el("span", {className: "form-check form-check-inline ml-2"}, [gaps, el("label", {className: "form-check-label small", text: T.allow_gaps})]));
    box.appendChild(top);
    var outputs = stageOutputs(stage);
    var grid = el("table", {className: "table table-sm table-bordered mb-1 grid"});
    var head = el("tr");
    head.appendChild(el("th", {text: T.row_id}));
    table.inputs.forEach(function (fact, c) {
      var th = el("th", {className: "input-col"});
      th.appendChild(factSelect(stage, fact, path + ".inputs[" + c + "]", function (value) {
        table.inputs[c] = value;
        table.rows.forEach(function (r) { if (Array.isArray(r.when)) { r.when[c] = "-"; } });
        redraw();
      }));
      if (table.inputs.length > 1) {
        th.appendChild(button("✕", "btn-link text-danger p-0 small", function () {
          table.inputs.splice(c, 1);
          table.rows.forEach(function (r) { if (Array.isArray(r.when)) { r.when.splice(c, 1); } });
          redraw();
        }, T.remove_input));
      }
      head.appendChild(th);
    });
    outputs.forEach(function (o) { head.appendChild(el("th", {className: "output-col", text: "→ " + o.label})); });
    if (stage !== "iki_rating") { head.appendChild(el("th", {text: T.actions})); }
    head.appendChild(el("th", {}, [button("+ " + T.add_input, "btn-link p-0 small add-input", function () {
      var f = FACTS[DEFAULT_FACT[stage]] || stageFacts(stage)[0];
      table.inputs.push(f.id);
      table.rows.forEach(function (r) { if (Array.isArray(r.when)) { r.when.push("-"); } });
      redraw();
    })]));
    grid.appendChild(el("thead", {}, [head]));
    var tbody = el("tbody");
    var seen = {};
    table.rows.forEach(function (row, r) {
      if (!isObj(row)) { return; }
      var rid = typeof row.id === "string" && !seen[row.id] ? row.id : null;
      if (rid) { seen[rid] = true; }
      var rpath = path + ".rows[" + (rid || r) + "]";
      var tr = el("tr", {"data-row": rid || ""});
      var idInput = el("input", {type: "text", className: "form-control form-control-sm row-id", value: row.id === undefined ? "" : String(row.id), "aria-label": T.row_id});
      idInput.addEventListener("input", function () { row.id = idInput.value; });
      tr.appendChild(el("td", {}, [mark(idInput, [rpath + ".id", path + ".rows[" + r + "].id"])]));
      if (!Array.isArray(row.when)) { row.when = table.inputs.map(function () { return "-"; }); }
      table.inputs.forEach(function (fact, c) {
        tr.appendChild(el("td", {}, [cellEditor(row, c, fact, stage, rpath + ".when[" + c + "]", redraw)]));
      });
      outputs.forEach(function (o) {
        var td = el("td");
        var holder = row;
        var input;
        if (o.type === "enum") {
          input = el("select", {className: "form-control form-control-sm value-enum", "aria-label": o.label});
          input.appendChild(option("", "—", !(isObj(holder.set) && own(holder.set, o.id))));
          o.values.forEach(function (v) { input.appendChild(option(v, valueLabel(v), isObj(holder.set) && holder.set[o.id] === v)); });
          input.addEventListener("change", function () { writeSet(holder, o.id, input.value === "" ? undefined : input.value); });
        } else {
          input = el("input", {type: "text", inputmode: "decimal", className: numberClass(), "aria-label": o.label,
                               value: isObj(holder.set) && own(holder.set, o.id) ? String(holder.set[o.id]) : ""});
          input.addEventListener("input", function () { var v = parseNumber(input.value); writeSet(holder, o.id, v === null ? undefined : v); });
        }
        td.appendChild(mark(input, [rpath + ".set." + o.id]));
        tr.appendChild(td);
      });
      if (stage !== "iki_rating") { tr.appendChild(el("td", {className: "actions-cell"}, [actionsEditor(row, stage, rpath, redraw)])); }
      tr.appendChild(el("td", {className: "text-nowrap"}, [
        button("↑", "btn-outline-secondary", function () { if (r > 0) { table.rows.splice(r - 1, 0, table.rows.splice(r, 1)[0]); redraw(); } }, T.up),
        button("↓", "btn-outline-secondary", function () { if (r < table.rows.length - 1) { table.rows.splice(r + 1, 0, table.rows.splice(r, 1)[0]); redraw(); } }, T.down),
        button("✕", "btn-outline-danger", function () { table.rows.splice(r, 1); redraw(); }, T.remove_row)]));
      mark(tr, [rpath, path + ".rows[" + r + "]"]);
      tbody.appendChild(tr);
    });
    grid.appendChild(tbody);
    box.appendChild(mark(el("div", {className: "table-responsive"}, [grid]), [path + ".rows", path + ".inputs"]));
    box.appendChild(button("+ " + T.add_row, "btn-outline-secondary add-row", function () {
      var ids = {};
      table.rows.forEach(function (r) { if (isObj(r)) { ids[r.id] = true; } });
      var n = table.rows.length + 1;
      while (ids["baris_" + n]) { n += 1; }
      table.rows.push({id: "baris_" + n, when: table.inputs.map(function () { return "-"; })});
      redraw();
    }));
    return mark(box, [path]);
  }

  function writeSet(holder, key, value) {
    var entries = isObj(holder.set) ? Object.keys(holder.set).map(function (k) { return [k, holder.set[k]]; }) : [];
    var at = entries.findIndex(function (p) { return p[0] === key; });
    if (value === undefined) { if (at >= 0) { entries.splice(at, 1); } }
    else if (at >= 0) { entries[at][1] = value; }
    else { entries.push([key, value]); }
    if (entries.length) { holder.set = Object.fromEntries(entries); } else { delete holder.set; }
  }

  // --- one rule ----------------------------------------------------------------------------------------------
  function ruleCard(stage, state, index) {
    var entry = state.entries[index];
    var card = el("div", {className: "card mb-2 rule-card rule-" + entry.kind});
    var rule = entry.rule;
    var id = rule ? ruleId(rule) : entry.base.id;
    var path = "stages." + stage + ".rules[" + (id || index) + "]";
    card.setAttribute("data-rule", id);
    var header = el("div", {className: "card-header py-1 d-flex flex-wrap align-items-center"});
    card.appendChild(header);
    var badge = {own: null, baseline: T.origin_baseline, override: T.origin_override, added: T.origin_added, removed: T.origin_removed}[entry.kind];
    if (badge) { header.appendChild(el("span", {className: "badge mr-2 badge-" + ({baseline: "light", override: "warning", added: "info", removed: "secondary"})[entry.kind], text: badge})); }
    function redraw() { renderStage(stage); }

    if (!rule) {
      header.appendChild(el("strong", {className: "mr-2" + (entry.kind === "removed" ? " text-muted" : ""), text: entry.base.label || entry.base.id}));
      header.appendChild(el("code", {className: "small mr-auto", text: entry.base.id}));
      if (entry.kind === "baseline") {
        header.appendChild(button(T.override, "btn-outline-primary mr-1 override-rule", function () {
          var copy = clone(entry.base);
          delete copy.origin;
          entry.kind = "override";
          entry.rule = copy;
          redraw();
        }));
        header.appendChild(button(T.remove_for_daerah, "btn-outline-danger remove-baseline", function () { entry.kind = "removed"; redraw(); }));
      } else {
        header.appendChild(button(T.restore, "btn-outline-secondary restore-rule", function () { entry.kind = "baseline"; redraw(); }));
      }
      var summary = el("div", {className: "card-body py-1 small" + (entry.kind === "removed" ? " text-muted rule-removed" : ""), text: describeRule(entry.base)});
      card.appendChild(summary);
      return mark(card, [path]);
    }

    if (!isObj(rule)) {
      card.appendChild(el("div", {className: "card-body text-danger small", text: T.bad_rule}));
      return mark(card, [path]);
    }
    var label = el("input", {type: "text", className: "form-control form-control-sm w-auto mr-2 rule-label", placeholder: T.rule_name, "aria-label": T.rule_name,
                             value: typeof rule.label === "string" ? rule.label : ""});
    label.addEventListener("input", function () { if (label.value === "") { delete rule.label; } else { rule.label = label.value; } });
    header.appendChild(mark(label, [path + ".label"]));
    var idInput = el("input", {type: "text", className: "form-control form-control-sm w-auto mr-auto rule-id", "aria-label": T.rule_id, title: T.rule_id_help,
                               value: id, readonly: entry.kind === "override"});
    idInput.addEventListener("input", function () { rule.id = idInput.value; card.setAttribute("data-rule", idInput.value); });
    header.appendChild(mark(idInput, [path + ".id", "stages." + stage + ".rules[" + index + "].id"]));
    if (entry.kind === "own" || entry.kind === "added") {
      header.appendChild(button("↑", "btn-outline-secondary mr-1 move-up", function () { move(stage, index, -1); }, T.up));
      header.appendChild(button("↓", "btn-outline-secondary mr-1 move-down", function () { move(stage, index, 1); }, T.down));
      header.appendChild(button(T.remove, "btn-outline-danger delete-rule", function () { state.entries.splice(index, 1); redraw(); }));
    } else {
      header.appendChild(button(T.revert, "btn-outline-secondary revert-rule", function () { entry.kind = "baseline"; delete entry.rule; redraw(); }));
    }
    var body = el("div", {className: "card-body py-2"});
    card.appendChild(body);
    var formSel = el("select", {className: "form-control form-control-sm w-auto rule-form", "aria-label": T.rule_form});
    var formNow = own(rule, "table") ? "table" : (own(rule, "otherwise") ? "otherwise" : "when");
    [["when", T.form_when], ["otherwise", T.form_otherwise], ["table", T.form_table]].forEach(function (p) { formSel.appendChild(option(p[0], p[1], p[0] === formNow)); });
    formSel.addEventListener("change", function () {
      delete rule.when; delete rule.otherwise; delete rule.table;
      if (formSel.value === "when") { rule.when = newLeaf(stage); }
      else if (formSel.value === "otherwise") { rule.otherwise = true; }
      else {
        var f = FACTS[DEFAULT_FACT[stage]] || stageFacts(stage)[0];
        rule.table = {hit_policy: "first", inputs: [f.id], rows: [{id: "baris_1", when: ["-"]}]};
        if (rule.set) { rule.table.rows[0].set = rule.set; }
        if (rule.actions) { rule.table.rows[0].actions = rule.actions; }
        delete rule.set; delete rule.actions;
      }
      redraw();
    });
    body.appendChild(el("div", {className: "form-inline mb-2"}, [el("label", {className: "mr-2 small", text: T.rule_form}), formSel]));
    if (formNow === "when") {
      body.appendChild(el("div", {className: "small text-muted", text: T.if_}));
      body.appendChild(conditionEditor(rule, "when", stage, path + ".when", redraw, false, null, true));
    } else if (formNow === "otherwise") {
      body.appendChild(el("p", {className: "small text-muted mb-1", text: T.otherwise_help}));
    } else {
      body.appendChild(tableEditor(rule, stage, path + ".table", redraw));
    }
    if (formNow !== "table") {
      var effects = el("div", {className: "row mt-2"});
      if (stageOutputs(stage).length) {
        effects.appendChild(el("div", {className: "col-md-5"}, [el("div", {className: "small text-muted", text: T.then_set}), setEditor(rule, stage, path, redraw)]));
      }
      if (stage !== "iki_rating") {
        effects.appendChild(el("div", {className: "col-md-7"}, [el("div", {className: "small text-muted", text: T.then_actions}), actionsEditor(rule, stage, path, redraw)]));
      }
      body.appendChild(effects);
    }
    var meta = el("div", {className: "form-row mt-2"});
    meta.appendChild(el("div", {className: "col-md-5"}, [el("label", {className: "small mb-0", text: T.legal_basis}),
      textField(rule, "legal_basis", T.legal_basis, path + ".legal_basis", "rule-legal-basis" + (contoh ? " contoh-input" : ""))]));
    meta.appendChild(el("div", {className: "col-md-7"}, [el("label", {className: "small mb-0", text: T.note}), textField(rule, "note", T.note, path + ".note")]));
    body.appendChild(meta);
    return mark(card, [path, "stages." + stage + ".rules[" + index + "]"]);
  }

  function move(stage, index, delta) {
    var entries = model[stage].entries;
    var target = index + delta;
    if (target < 0 || target >= entries.length) { return; }
    var item = entries.splice(index, 1)[0];
    entries.splice(target, 0, item);
    renderStage(stage);
  }

  // --- stages and the page ------------------------------------------------------------------------------------
  var stageBoxes = {};

  function renderStage(stage) {
    var box = stageBoxes[stage];
    var state = model[stage];
    pathIndex = pathIndex.filter(function (p) { return !box.contains(p[0]); });
    box.textContent = "";
    box.appendChild(el("h3", {className: "h6 text-uppercase text-muted border-bottom pb-1", text: (CAT.stages[stage] || stage)}));
    if (CAT.kind_stages.indexOf(stage) < 0) { box.appendChild(el("p", {className: "text-danger small", text: T.stage_not_kind})); }
    if (!state.entries.length) { box.appendChild(el("p", {className: "text-muted small", text: T.stage_empty})); }
    state.entries.forEach(function (_, i) { box.appendChild(ruleCard(stage, state, i)); });
    box.appendChild(button("+ " + T.add_rule, "btn-outline-primary add-rule", function () {
      var rule = {id: freshId("aturan"), when: newLeaf(stage)};
      var outs = stageOutputs(stage);
      if (outs.length) { rule.set = {}; rule.set[outs[0].id] = defaultFor(outs[0].type, outs[0].values); }
      else {
        var first = CAT.actions.find(function (a) { return DATA.kind !== "coaching" || a.kind === "coaching"; });
        rule.actions = [{code: first.code}];
      }
      state.entries.push({kind: isOverride ? "added" : "own", rule: rule});
      renderStage(stage);
      var cards = box.querySelectorAll(".rule-card");
      if (cards.length) { cards[cards.length - 1].scrollIntoView({block: "center"}); }
    }));
    mark(box, ["stages." + stage]);
    if (readonly) { lock(box); }
    showProblems();
  }

  function lock(scope) {
    scope.querySelectorAll("input, select, textarea, button").forEach(function (n) { n.disabled = true; });
  }

  function headerFields() {
    var box = el("div", {className: "card mb-3"});
    var body = el("div", {className: "card-body py-2 form-row"});
    box.appendChild(body);
    function field(label, input, cls) { body.appendChild(el("div", {className: cls || "col-md-3"}, [el("label", {className: "small mb-0", text: label}), input])); }
    field(T.doc_version, textField(doc, "version", T.doc_version, "version", "doc-version"), "col-md-2");
    if (isObj(doc.title)) {
      field(T.doc_title_id, textField(doc.title, "id", T.doc_title_id, "title.id"));
      field(T.doc_title_en, textField(doc.title, "en", T.doc_title_en, "title.en"));
    } else {
      field(T.doc_title_id, textField(doc, "title", T.doc_title_id, "title"), "col-md-6");
    }
    var cont = el("input", {type: "checkbox", className: "form-check-input", id: "doc-contoh"});
    cont.checked = doc.contoh === true;
    cont.addEventListener("change", function () { doc.contoh = cont.checked; });
    body.appendChild(el("div", {className: "col-md-4 pt-4"}, [el("div", {className: "form-check"}, [mark(cont, ["contoh"]),
      el("label", {className: "form-check-label small", "for": "doc-contoh", text: T.doc_contoh})])]));
    field(T.doc_legal_basis, textField(doc, "legal_basis", T.doc_legal_basis, "legal_basis", contoh ? "contoh-input" : ""), "col-md-6");
    field(T.note, textField(doc, "note", T.note, "note"), "col-md-6");
    if (readonly) { lock(box); }
    return mark(box, ["$", "pack", "extends", "stages"]);
  }

  // --- problems at their fields --------------------------------------------------------------------------------
  function findFor(path) {
    var p = path;
    while (p) {
      for (var i = pathIndex.length - 1; i >= 0; i--) {
        if (pathIndex[i][1].indexOf(p) >= 0 && document.body.contains(pathIndex[i][0])) { return pathIndex[i][0]; }
      }
      var cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["), p.lastIndexOf("#"));
      if (cut <= 0) { break; }
      p = p.slice(0, cut);
    }
    return null;
  }

  function showProblems() {
    root.querySelectorAll(".field-problem").forEach(function (n) { n.remove(); });
    root.querySelectorAll(".is-invalid").forEach(function (n) { n.classList.remove("is-invalid"); });
    (DATA.problems || []).forEach(function (p) {
      var target = findFor(p.path) || root;
      var msg = el("div", {className: "field-problem invalid-feedback d-block", "data-problem-path": p.path, text: p.message});
      if (target.matches("input, select, textarea")) {
        target.classList.add("is-invalid");
        target.parentNode.insertBefore(msg, target.nextSibling);
      } else if (target.matches("tr")) {
        var td = target.querySelector("td");
        (td || target).appendChild(msg);
      } else {
        target.insertBefore(msg, target.firstChild && target.firstChild.nextSibling);
      }
    });
  }

  function render() {
    root.textContent = "";
    pathIndex = [];
    root.appendChild(headerFields());
    var stages = CAT.kind_stages.slice();
    Object.keys(isObj(doc.stages) ? doc.stages : {}).forEach(function (s) { if (stages.indexOf(s) < 0) { stages.push(s); } });
    stages.forEach(function (s) {
      model[s] = buildStage(s);
      stageBoxes[s] = el("section", {className: "mb-3 stage-editor", "data-stage": s});
      root.appendChild(stageBoxes[s]);
      renderStage(s);
    });
    showProblems();
  }

  render();
  window.kinerjaRuleEditor = {serialize: serialize};   // for tests: the document the form would post

  if (form && !readonly) {
    form.addEventListener("submit", function () {
      form.querySelector("textarea[name=document]").value = JSON.stringify(serialize());
    });
  }
  document.querySelectorAll("a.problem-link").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var target = findFor(a.getAttribute("data-path"));
      if (target) {
        e.preventDefault();
        var tab = document.getElementById("tab-visual-link");
        if (tab && window.jQuery) { window.jQuery(tab).tab("show"); }
        target.scrollIntoView({block: "center"});
        if (target.focus) { target.focus(); }
      }
    });
  });
}());

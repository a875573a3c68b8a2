/* The simulator's voice keypad: call the duty number, press keys, hear (read) what the line plays or says.
   The server runs the same step functions as Twilio's webhooks and answers with the TwiML described as JSON.
   Data from the server is only ever put into the page with textContent, never as HTML. */
(function () {
  "use strict";
  var pad = document.getElementById("keypad");
  if (!pad || !window.fetch) return;

  var phone = pad.dataset.phone;
  var call = null;  // {sid, kind: "inbound" | "offer", verbs}
  var buffer = "";  // keys typed at a gather that ends with "#"
  var queue = [];   // audio waiting to play
  var player = new Audio();
  var heard = document.getElementById("voice-heard");
  var state = document.getElementById("voice-state");
  var keys = pad.querySelectorAll("#voice-keys button");
  var actions = pad.querySelectorAll("#voice-actions button");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function post(url, data) {
    var body = new FormData();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return fetch(url, {method: "POST", body: body, headers: {Accept: "application/json"}}).then(function (r) {
      return r.json().then(function (json) {
        if (!r.ok) throw new Error(json.error || ("服务器错误 " + r.status));
        return json;
      });
    });
  }

  function playNext() {
    if (!queue.length || !player.paused) return;
    player.src = queue.shift();
    player.play().catch(function () { queue = []; });
  }
  player.addEventListener("ended", playNext);

  function line(item) {
    var li = el("li", "v-" + item.verb);
    if (item.verb === "play") {
      var button = el("button", "listen", "▶");
      button.type = "button";
      button.title = item.url;
      button.addEventListener("click", function () { queue = [item.url]; player.pause(); playNext(); });
      li.appendChild(button);
      li.appendChild(el("span", "lang", item.language === "mn" ? "蒙" : "汉"));
      li.appendChild(el("span", "text", item.text || item.key));
      if (document.getElementById("voice-autoplay").checked) { queue.push(item.url); }
    } else if (item.verb === "say") {
      li.appendChild(el("span", "lang", "朗读"));
      li.appendChild(el("span", "text", item.text));
    } else if (item.verb === "pause") {
      li.appendChild(el("span", "text", "（停顿 " + item.seconds + " 秒）"));
    } else if (item.verb === "dial") {
      li.appendChild(el("span", "text", "☎ 转接值班带班 " + (item.name || "") + " " + item.number));
    } else if (item.verb === "record") {
      li.appendChild(el("span", "text", "● 嘀——开始录音（说完按 # 或挂机）"));
    } else if (item.verb === "hangup") {
      li.appendChild(el("span", "text", "— 热线挂断 —"));
    } else {
      return null;
    }
    return li;
  }

  function show(reply) {
    heard.replaceChildren();
    call.verbs = reply.verbs;
    reply.verbs.forEach(function (verb) {
      (verb.verb === "gather" ? verb.items : [verb]).forEach(function (item) {
        var li = line(item);
        if (li) heard.appendChild(li);
      });
    });
    playNext();
    var s = reply.state || {};
    state.textContent = s.ref ? "求助编号 #" + s.ref + " · " + (s.step || "") : (s.step ? "步骤 " + s.step : "");
    waitFor(find("gather"), find("record"), find("dial"), find("hangup"));
  }

  function find(name) {
    return (call && call.verbs || []).filter(function (v) { return v.verb === name; })[0] || null;
  }

  function waitFor(gather, record, dial, hangup) {
    buffer = "";
    keys.forEach(function (b) { b.disabled = !gather; });
    actions.forEach(function (b) {
      var act = b.dataset.act;
      b.hidden = !((act === "silence" && gather) || (act === "record" && record) ||
                   ((act === "answered" || act === "no-answer") && dial));
    });
    if (hangup && !gather && !record && !dial) end();
  }

  function step(action, extra) {
    var data = {phone: phone, call_sid: call.sid, action: action, kind: call.kind};
    Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
    return post(pad.dataset.pressUrl, data).then(show, fail);
  }

  function fail(error) { state.textContent = error.message; }

  function start(reply, kind) {
    call = {sid: reply.call_sid, kind: kind, verbs: []};
    document.getElementById("voice-dial").disabled = true;
    document.getElementById("voice-hangup").disabled = false;
    show(reply);
  }

  function end() {
    // Twilio posts the call's status when it ends: a call that got nowhere becomes a call-back request.
    var sid = call && call.sid, kind = call && call.kind;
    call = null;
    waitFor(null, null, null, null);
    document.getElementById("voice-dial").disabled = false;
    document.getElementById("voice-hangup").disabled = true;
    if (!sid) return;
    post(pad.dataset.hangupUrl, {phone: phone, call_sid: sid, kind: kind}).then(function (reply) {
      var s = reply.state || {};
      state.textContent = "通话结束。" + (s.ref ? "求助编号 #" + s.ref : "") + (s.step === "missed" ? "（未选择即挂断：已安排回电）" : "");
    }, fail);
  }

  keys.forEach(function (button) {
    button.addEventListener("click", function () {
      var gather = find("gather");
      if (!gather) return;
      var key = button.dataset.key;
      if (gather.finish_on_key && key === gather.finish_on_key) { step(gather.action, {digits: buffer}); return; }
      buffer += key;
      state.textContent = "已按 " + buffer + (gather.finish_on_key ? "，按 " + gather.finish_on_key + " 结束" : "");
      if (gather.num_digits && buffer.length >= Number(gather.num_digits)) step(gather.action, {digits: buffer});
    });
  });

  actions.forEach(function (button) {
    button.addEventListener("click", function () {
      var act = button.dataset.act;
      if (act === "silence") step(find("gather").action, {});
      if (act === "record") step(find("record").action, {recording: "1"});
      if (act === "answered") step(find("dial").action, {dial_status: "completed"});
      if (act === "no-answer") step(find("dial").action, {dial_status: "no-answer"});
    });
  });

  document.getElementById("voice-dial").addEventListener("click", function () {
    post(pad.dataset.callUrl, {phone: phone}).then(function (reply) { start(reply, "inbound"); }, fail);
  });
  document.getElementById("voice-hangup").addEventListener("click", end);

  // A duty member's phone rings when the hotline calls to read an offer.
  var incoming = document.getElementById("incoming");
  function poll() {
    if (call || document.hidden) return;
    fetch(pad.dataset.incomingUrl + "?" + new URLSearchParams({phone: phone}).toString(),
          {headers: {Accept: "application/json"}, cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        incoming.replaceChildren();
        incoming.hidden = !(data.calls && data.calls.length);
        (data.calls || []).forEach(function (ring) {
          var answer = el("button", null, "热线来电：派单 #" + ring.ref + " — 接听 Answer");
          answer.type = "button";
          answer.addEventListener("click", function () {
            call = {sid: ring.call_sid, kind: "offer", verbs: []};
            incoming.hidden = true;
            step(ring.action, {}).then(function () {
              document.getElementById("voice-dial").disabled = true;
              document.getElementById("voice-hangup").disabled = false;
            });
          });
          incoming.appendChild(answer);
        });
      }, function () {});
  }
  poll();
  setInterval(poll, 2000);
})();

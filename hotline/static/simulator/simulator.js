/* The simulator page: send without reloading, and poll so the worker's later SMS show up by themselves.
   Data from the server is only ever put into the page with textContent, never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("sim");
  if (!root || !window.fetch || !window.URLSearchParams) return;

  var phone = root.dataset.phone;
  var urls = {page: root.dataset.pageUrl, conversation: root.dataset.conversationUrl,
              overview: root.dataset.overviewUrl};
  var POLL_MS = 1500;
  var seen = {conversation: "", overview: ""};
  var busy = false;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function pageFor(number) { return urls.page + "?" + new URLSearchParams({phone: number}).toString(); }

  function show(id, message) {
    var box = $(id);
    box.textContent = message || "";
    box.hidden = !message;
  }

  function getJson(url) {
    return fetch(url, {headers: {Accept: "application/json"}, cache: "no-store"}).then(readJson);
  }

  function postForm(url, data) {
    return fetch(url, {method: "POST", body: data, headers: {Accept: "application/json"}}).then(readJson);
  }

  function readJson(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (!response.ok) throw new Error(data.error || ("服务器错误 " + response.status));
      return data;
    });
  }

  function bubble(m) {
    var li = el("li", "msg " + (m.mine ? "mine" : "theirs"));
    li.appendChild(el("p", "bubble" + (m.body ? "" : " blank"), m.body || "（空短信）"));
    var meta = el("p", "meta");
    meta.appendChild(el("time", null, m.at));
    meta.appendChild(el("span", "status st-" + m.status, m.status_label));
    if (m.segments > 1) meta.appendChild(el("span", null, m.segments + "条"));
    if (m.ref) meta.appendChild(el("span", "ref", "#" + m.ref));
    li.appendChild(meta);
    return li;
  }

  function renderConversation(view) {
    var thread = $("thread");
    var atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    var names = [];
    view.who.forEach(function (w) { if (names.indexOf(w.name) < 0) names.push(w.name); });
    $("who-name").textContent = names.length ? names.join("、") : "名册外号码";
    $("who-detail").textContent = view.who.length ? view.who.map(function (w) {
      return (w.kind === "herder" ? "住户 · " : "") + w.detail +
        (w.kind === "member" ? (w.on_duty ? " · 值班中" : " · 未值班") : "");
    }).join("；") : "Unknown caller · 短信按住户求助处理";
    thread.replaceChildren();
    if (!view.messages.length) thread.appendChild(el("li", "empty", "还没有短信。No messages yet."));
    view.messages.forEach(function (m) { thread.appendChild(bubble(m)); });
    if (atBottom) thread.scrollTop = thread.scrollHeight;
    var quick = $("quick");
    quick.replaceChildren();
    view.quick.forEach(function (q) {
      var button = el("button", null, q.label);
      button.type = "submit";
      button.name = "quick";
      button.value = q.body;
      quick.appendChild(button);
    });
  }

  function renderOverview(data) {
    var list = $("requests");
    list.replaceChildren();
    if (!data.requests.length) list.appendChild(el("li", "empty", "没有未结的求助。No open requests."));
    data.requests.forEach(function (r) {
      var li = el("li");
      li.appendChild(el("span", "ref", "#" + r.ref));
      li.appendChild(el("span", "state st-" + r.status, r.status_label));
      li.appendChild(el("span", "cat", r.category));
      var caller = el("a", "caller", r.caller_name + " " + r.caller);
      caller.href = pageFor(r.caller);
      li.appendChild(caller);
      li.appendChild(el("span", "holder", "承接：" + r.holder));
      li.appendChild(el("time", null, r.at));
      list.appendChild(li);
    });
    var feed = $("feed");
    feed.replaceChildren();
    if (!data.messages.length) feed.appendChild(el("li", "empty", "还没有短信。No messages yet."));
    data.messages.forEach(function (m) {
      var li = el("li", m.mine ? "mine" : "theirs");
      var link = el("a");
      link.href = pageFor(m.phone);
      var line = el("span", "line");
      line.appendChild(el("span", "dir", m.mine ? "→ 热线" : "热线 →"));
      line.appendChild(el("span", "who", m.name + " " + m.phone));
      line.appendChild(el("time", null, m.at));
      line.appendChild(el("span", "status st-" + m.status, m.status_label));
      link.appendChild(line);
      link.appendChild(el("span", "text", m.body));
      li.appendChild(link);
      feed.appendChild(li);
    });
  }

  function whenChanged(key, render) {
    return function (data) {
      var text = JSON.stringify(data);
      if (text !== seen[key]) { seen[key] = text; render(data); }
    };
  }

  function refresh() {
    if (busy) return Promise.resolve();
    busy = true;
    var jobs = [getJson(urls.overview).then(whenChanged("overview", renderOverview))];
    if (phone) {
      var url = urls.conversation + "?" + new URLSearchParams({phone: phone}).toString();
      jobs.push(getJson(url).then(whenChanged("conversation", renderConversation)));
    }
    return Promise.all(jobs).then(function () {
      $("live").classList.remove("down");
      $("live").textContent = "自动刷新 live";
    }, function () {
      $("live").classList.add("down");
      $("live").textContent = "连接中断 offline";
    }).then(function () { busy = false; });
  }

  function segments(text) {
    if (!text) return 0;
    if (/^[\x00-\x7f]*$/.test(text)) return text.length <= 160 ? 1 : Math.ceil(text.length / 153);
    return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
  }

  var composer = $("composer");
  if (composer) {
    var body = $("body");
    var counter = function () {
      var n = body.value.length;
      $("counter").textContent = n ? n + " / " + body.maxLength + " 字 · 约 " + segments(body.value) + " 条短信" : "";
    };
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(composer);
      var quick = event.submitter && event.submitter.name === "quick";
      if (quick) data.set("quick", event.submitter.value);
      $("send").disabled = true;
      postForm(composer.action, data).then(function () {
        show("error", "");
        if (!quick) { body.value = ""; counter(); }
        $("thread").scrollTop = $("thread").scrollHeight;
        seen.conversation = "";
        busy = false;
        return refresh().then(function () { $("thread").scrollTop = $("thread").scrollHeight; });
      }, function (error) { show("error", error.message); }).then(function () { $("send").disabled = false; });
    });
    body.addEventListener("input", counter);
    body.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) composer.requestSubmit($("send"));
    });
    counter();
    $("thread").scrollTop = $("thread").scrollHeight;
  }

  $("expire-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    postForm(form.action, new FormData(form)).then(function (result) {
      show("notice", result.message);
      show("error", "");
      return refresh();
    }, function (error) { show("error", error.message); });
  });

  var filter = $("roster-filter");
  filter.hidden = false;
  filter.addEventListener("input", function () {
    var words = filter.value.trim().toLowerCase();
    document.querySelectorAll(".roster li").forEach(function (li) {
      li.hidden = words !== "" && li.dataset.search.toLowerCase().indexOf(words) < 0;
    });
  });

  $("live").hidden = false;
  refresh();
  setInterval(function () { if (!document.hidden) refresh(); }, POLL_MS);
})();

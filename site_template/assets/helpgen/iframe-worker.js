/* helpgen: a small Web Worker polyfill for sites opened from file:// (offline builds).
   Browsers refuse `new Worker(file:...)`; Material's search worker supports running in an
   iframe when `IFrameWorker` exists in the parent window, which this file provides. It loads
   nothing from any outside host. */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof window === "undefined") return;
  function load(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      doc.head.appendChild(script);
    });
  }
  function IFrameWorker(url) {
    var self = this;
    var target = document.createElement("span");
    this.onmessage = null;
    this.onerror = null;
    this._target = target;
    this._queue = [];
    this._ready = false;
    var frame = document.createElement("iframe");
    frame.setAttribute("hidden", "");
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    (document.body || document.documentElement).appendChild(frame);
    this._frame = frame;
    var win = frame.contentWindow;
    var doc = frame.contentDocument;
    win.postMessage = function (data) {
      setTimeout(function () { self._emit("message", data); }, 0);
    };
    win.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (p, u) {
        return p.then(function () { return load(doc, new URL(u, location.href).href); });
      }, Promise.resolve());
    };
    load(doc, new URL(String(url), location.href).href).then(function () {
      self._ready = true;
      self._queue.splice(0).forEach(function (d) { self._deliver(d); });
    }, function (err) { self._emit("error", err); });
  }
  IFrameWorker.prototype._emit = function (type, data) {
    var ev = type === "message" ? new MessageEvent("message", { data: data }) : new ErrorEvent("error", { error: data });
    var handler = type === "message" ? this.onmessage : this.onerror;
    if (typeof handler === "function") handler.call(this, ev);
    this._target.dispatchEvent(ev);
  };
  IFrameWorker.prototype._deliver = function (data) {
    var win = this._frame.contentWindow;
    win.dispatchEvent(new win.MessageEvent("message", { data: data }));
  };
  IFrameWorker.prototype.postMessage = function (data) {
    if (this._ready) this._deliver(data); else this._queue.push(data);
  };
  IFrameWorker.prototype.addEventListener = function (t, f, o) { this._target.addEventListener(t, f, o); };
  IFrameWorker.prototype.removeEventListener = function (t, f, o) { this._target.removeEventListener(t, f, o); };
  IFrameWorker.prototype.terminate = function () { this._frame.remove(); };
  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();

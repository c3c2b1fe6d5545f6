// The item editor's uploader: tus-js-client (window.tus) sends the file in resumable requests to
// /api/v1/uploads, retrying after a dropped connection and resuming an interrupted upload of the
// same file after a reload; Pause and Resume stop and continue it. The file list follows the
// processing live through Server-Sent Events (/api/v1/me/files/events).
(function () {
  'use strict';

  var root = document.querySelector('[data-uploader]');
  if (!root || root.dataset.ready || !window.tus) return;
  root.dataset.ready = 'true';
  var itemId = root.dataset.itemId;
  var input = root.querySelector('[data-uploader-input]');
  var start = root.querySelector('[data-uploader-start]');
  var pause = root.querySelector('[data-uploader-pause]');
  var resume = root.querySelector('[data-uploader-resume]');
  var progress = root.querySelector('[data-uploader-progress]');
  var status = root.querySelector('[data-uploader-status]');
  var noscript = document.querySelector('[data-uploader-noscript]');
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var upload = null;

  root.hidden = false;
  if (noscript) noscript.hidden = true;

  function size(bytes) {
    var mb = 1024 * 1024;
    if (bytes >= 1024 * mb) return (bytes / (1024 * mb)).toFixed(1) + ' GB';
    if (bytes >= mb) return (bytes / mb).toFixed(1) + ' MB';
    return Math.max(1, Math.ceil(bytes / 1024)) + ' KB';
  }

  function say(text) {
    status.textContent = text;
  }

  function buttons(state) {
    start.hidden = state !== 'idle';
    pause.hidden = state !== 'running';
    resume.hidden = state !== 'paused';
    input.disabled = state === 'running' || state === 'paused';
  }

  /** Our API answers errors as JSON {error: {message}}, tus's included; a proxy's may be text. */
  function reason(error) {
    var body = error && error.originalResponse && error.originalResponse.getBody();
    if (body) {
      try {
        var parsed = JSON.parse(body);
        if (parsed.error && parsed.error.message) return parsed.error.message;
      } catch {
        return String(body).trim();
      }
    }
    return 'The upload stopped. Check your connection and press Resume.';
  }

  function refreshList() {
    var list = document.getElementById('file-list');
    if (!list) return;
    fetch(list.dataset.fileList, { headers: { 'HX-Request': 'true' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        list.outerHTML = html;
        // the new list's Replace forms are htmx forms that need script: wire and show them
        var fresh = document.getElementById('file-list');
        if (!fresh) return;
        if (window.htmx) window.htmx.process(fresh);
        fresh.querySelectorAll('[data-needs-js][hidden]').forEach(function (el) {
          el.hidden = false;
        });
      })
      .catch(function () {});
  }

  start.addEventListener('click', function () {
    var file = input.files && input.files[0];
    if (!file) {
      say('Choose a file first.');
      input.focus();
      return;
    }
    upload = new window.tus.Upload(file, {
      endpoint: '/api/v1/uploads',
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      chunkSize: 64 * 1024 * 1024,
      removeFingerprintOnSuccess: true,
      metadata: { item_id: itemId, filename: file.name, filetype: file.type || '' },
      headers: { 'X-CSRF-Token': csrf ? csrf.content : '' },
      onProgress: function (sent, total) {
        var percent = total > 0 ? Math.floor((sent / total) * 100) : 0;
        progress.hidden = false;
        progress.value = percent;
        say(
          'Uploading ' +
            file.name +
            ': ' +
            size(sent) +
            ' of ' +
            size(total) +
            ' (' +
            percent +
            '%)',
        );
      },
      onError: function (error) {
        buttons(upload && upload.url ? 'paused' : 'idle');
        say(reason(error));
      },
      onSuccess: function () {
        buttons('idle');
        progress.value = 100;
        say(file.name + ' is uploaded. Processing it now…');
        input.value = '';
        refreshList();
      },
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length > 0) {
        upload.resumeFromPreviousUpload(previous[0]);
        say('Resuming the earlier upload of ' + file.name + '…');
      } else {
        say('Starting the upload of ' + file.name + '…');
      }
      buttons('running');
      upload.start();
    });
  });

  pause.addEventListener('click', function () {
    if (!upload) return;
    upload.abort().then(function () {
      buttons('paused');
      say('Paused. Press Resume to go on.');
      resume.focus();
    });
  });

  resume.addEventListener('click', function () {
    if (!upload) return;
    buttons('running');
    say('Resuming…');
    upload.start();
    pause.focus();
  });

  // Live processing status, from whichever instance runs the worker.
  if (window.EventSource) {
    var events = new window.EventSource('/api/v1/me/files/events');
    events.addEventListener('file', function (message) {
      var event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event.item_id !== itemId) return;
      refreshList();
      if (event.status === 'ready') say('A file is ready.');
      if (event.status === 'failed' || event.status === 'quarantined') {
        say('A file could not be processed: ' + (event.error || 'see the list.'));
      }
    });
    window.addEventListener('pagehide', function () {
      events.close();
    });
  }
})();

// The item page's audio player: a waveform with a play button and a position slider (arrow
// keys, Page Up/Down, Home/End), chapters that seek, and a fresh signed URL when the old one
// has expired. Without this script the native <audio controls> plays the same source.
(function () {
  'use strict';

  function format(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = String(s % 60).padStart(2, '0');
    return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + rest : m + ':' + rest;
  }

  function setup(root) {
    var audio = root.querySelector('[data-player-audio]');
    var body = root.querySelector('.player__body');
    if (!audio || !body || root.dataset.ready) return;
    root.dataset.ready = 'true';
    var toggle = root.querySelector('[data-player-toggle]');
    var seek = root.querySelector('[data-player-seek]');
    var progress = root.querySelector('[data-player-progress]');
    var time = root.querySelector('[data-player-time]');
    var title = root.dataset.title || '';
    var known = Number(root.dataset.duration) || 0;
    var resumeAt = null;

    audio.removeAttribute('controls');
    audio.hidden = true;
    body.hidden = false;

    function duration() {
      return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : known;
    }

    function update() {
      var d = duration();
      var t = audio.currentTime || 0;
      var played = d > 0 ? Math.min(100, (t / d) * 100) : 0;
      progress.style.clipPath = 'inset(0 ' + (100 - played) + '% 0 0)';
      seek.setAttribute('aria-valuenow', String(Math.floor(t)));
      seek.setAttribute('aria-valuemax', String(Math.floor(d)));
      seek.setAttribute('aria-valuetext', format(t) + ' of ' + format(d));
      time.textContent = format(t) + ' / ' + format(d);
      toggle.setAttribute('aria-label', (audio.paused ? 'Play ' : 'Pause ') + title);
      root.classList.toggle('is-playing', !audio.paused);
    }

    function goTo(seconds) {
      var d = duration();
      var target = Math.max(0, d > 0 ? Math.min(d, seconds) : seconds);
      if (audio.readyState >= 1) audio.currentTime = target;
      else resumeAt = target;
      update();
    }

    function play() {
      var started = audio.play();
      if (started && started.catch) started.catch(function () {});
    }

    toggle.addEventListener('click', function () {
      if (audio.paused) play();
      else audio.pause();
    });

    seek.addEventListener('keydown', function (event) {
      var steps = {
        ArrowLeft: -5,
        ArrowDown: -5,
        ArrowRight: 5,
        ArrowUp: 5,
        PageDown: -30,
        PageUp: 30,
      };
      if (event.key in steps) goTo((audio.currentTime || 0) + steps[event.key]);
      else if (event.key === 'Home') goTo(0);
      else if (event.key === 'End') goTo(duration());
      else if (event.key === ' ' || event.key === 'Enter') toggle.click();
      else return;
      event.preventDefault();
    });

    seek.addEventListener('click', function (event) {
      var box = seek.getBoundingClientRect();
      goTo(((event.clientX - box.left) / box.width) * duration());
    });

    root.querySelectorAll('[data-seek]').forEach(function (button) {
      button.disabled = false;
      button.addEventListener('click', function () {
        goTo(Number(button.dataset.seek));
        play();
      });
    });

    audio.addEventListener('loadedmetadata', function () {
      if (resumeAt !== null) {
        audio.currentTime = resumeAt;
        resumeAt = null;
      }
      update();
    });
    ['play', 'pause', 'timeupdate', 'ended', 'durationchange'].forEach(function (name) {
      audio.addEventListener(name, update);
    });
    // Signed URLs live five minutes: when one has expired, fetch a fresh one where we were.
    audio.addEventListener('error', function () {
      if (!audio.currentTime) return;
      resumeAt = audio.currentTime;
      audio.src = root.dataset.src + '?t=' + Date.now();
      play();
    });
    update();
  }

  document.querySelectorAll('[data-player]').forEach(setup);
  document.addEventListener('htmx:after:swap', function () {
    document.querySelectorAll('[data-player]').forEach(setup);
  });
})();

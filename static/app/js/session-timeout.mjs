// The idle-timeout warning. The server ends a session after SESSION_COOKIE_AGE seconds without
// a request; SESSION_WARNING_SECONDS before that, this opens a modal dialog offering to stay
// signed in (a POST that renews the session) or to sign out. At the end it signs the user out
// through the same form, and the sign-in page says why. Settings come from data- attributes
// on <body>; the dialog's markup is in templates/accounts/_session_timeout.html.
//
// Tabs share the time of the last request through localStorage, so a tab left idle does not
// warn (or sign out) while the user is working in another.

const STORAGE_KEY = "lcspr.session.lastActivity";

function readLastActivity(fallback) {
  try {
    const stored = Number(window.localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(stored) && stored > fallback ? stored : fallback;
  } catch {
    return fallback;
  }
}

function writeLastActivity(time) {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(time));
  } catch {
    // Private browsing without storage: this tab keeps its own clock.
  }
}

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

// Screen readers hear the time left once a minute, then every 20 seconds in the last minute,
// not every second.
function announcement(seconds) {
  if (seconds >= 60) return describe(Math.ceil(seconds / 60) * 60);
  return describe(Math.max(20, Math.ceil(seconds / 20) * 20));
}

export function initSessionTimeout(body = document.body) {
  const timeout = Number(body.dataset.sessionTimeout);
  const warning = Number(body.dataset.sessionWarning);
  const extendUrl = body.dataset.sessionExtendUrl;
  const dialog = document.getElementById("session-timeout");
  if (!timeout || !extendUrl || !dialog || typeof dialog.showModal !== "function") return;

  const countdown = dialog.querySelector("[data-session-countdown]");
  const announcer = dialog.querySelector("[data-session-announcement]");
  const stayButton = dialog.querySelector("[data-session-stay]");
  const signOutForm = dialog.querySelector("[data-session-sign-out]");
  const csrfToken = signOutForm.querySelector("input[name=csrfmiddlewaretoken]").value;

  let lastActivity = Date.now();
  writeLastActivity(lastActivity);
  let returnFocusTo = null;
  let lastAnnounced = "";
  let finished = false;

  function open(secondsLeft) {
    returnFocusTo = document.activeElement;
    update(secondsLeft);
    dialog.showModal();
    stayButton.focus();
  }

  function close() {
    if (!dialog.open) return;
    dialog.close();
    lastAnnounced = "";
    announcer.textContent = "";
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
  }

  function update(secondsLeft) {
    countdown.textContent = describe(secondsLeft);
    const text = `You will be signed out in ${announcement(secondsLeft)}.`;
    if (text !== lastAnnounced) {
      lastAnnounced = text;
      announcer.textContent = text;
    }
  }

  function signOut() {
    finished = true;
    signOutForm.querySelector("input[name=timeout]").value = "1";
    signOutForm.submit();
  }

  async function staySignedIn() {
    try {
      const response = await fetch(extendUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": csrfToken },
      });
      if (response.status !== 204) {
        signOut();
        return;
      }
    } catch {
      // Offline for a moment: keep the warning open; the clock still decides.
      return;
    }
    lastActivity = Date.now();
    writeLastActivity(lastActivity);
    close();
  }

  function tick() {
    if (finished) return;
    lastActivity = readLastActivity(lastActivity);
    const secondsLeft = Math.ceil((lastActivity + timeout * 1000 - Date.now()) / 1000);
    if (secondsLeft <= 0) {
      signOut();
    } else if (secondsLeft <= warning) {
      if (dialog.open) update(secondsLeft);
      else open(secondsLeft);
    } else {
      close();
    }
  }

  stayButton.addEventListener("click", staySignedIn);
  // Escape means "I'm still here", as in other government services' timeout warnings.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  window.setInterval(tick, 1000);
}

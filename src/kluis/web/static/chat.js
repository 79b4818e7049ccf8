// Kluis web chat: sends what the customer types to /chat/api/messages and shows the answer.
// Everything from the server is put on the page as text (textContent), never as HTML.
"use strict";

(function () {
  const chat = document.getElementById("main");
  const scroller = document.getElementById("scroller");
  const messages = document.getElementById("messages");
  const quickReplies = document.getElementById("quick-replies");
  const typing = document.getElementById("typing");
  const composer = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  if (!chat || !messages || !composer || !input) {
    return;
  }
  const words = chat.dataset;
  let busy = false;

  // "€ 1.234,56" should not break after the euro sign at the end of a line.
  function keepAmountsTogether(text) {
    return text.replace(/€ (?=[-−]?\d)/g, "€\u00a0");
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function addMessage(from, text, options) {
    const item = document.createElement("li");
    item.className = "message from-" + from;
    const speaker = document.createElement("span");
    speaker.className = "visually-hidden";
    speaker.textContent = (from === "customer" ? words.you : words.assistant) + ": ";
    item.appendChild(speaker);
    const paragraph = document.createElement("p");
    paragraph.textContent = keepAmountsTogether(text);
    item.appendChild(paragraph);
    if (options && options.image) {
      const image = document.createElement("img");
      image.src = options.image;
      image.alt = options.alt || text;
      item.classList.add("has-chart");
      item.appendChild(image);
    }
    if (options && options.note) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = options.note;
      item.appendChild(note);
    }
    if (options && options.problem) {
      item.classList.add("problem");
    }
    messages.appendChild(item);
    scrollToEnd();
    return item;
  }

  function showQuickReplies(labels) {
    quickReplies.replaceChildren();
    for (const label of labels) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.textContent = label;
      quickReplies.appendChild(button);
    }
    scrollToEnd();
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    send.disabled = value;
    messages.setAttribute("aria-busy", value ? "true" : "false");
    if (value) {
      scrollToEnd();
    }
  }

  function showTurn(turn) {
    const replies = Array.isArray(turn.replies) ? turn.replies : [];
    let buttons = [];
    replies.forEach(function (reply, index) {
      const last = index === replies.length - 1;
      addMessage("kluis", String(reply.text || ""), {
        image: typeof reply.image === "string" && reply.image.startsWith("data:image/svg+xml;base64,")
          ? reply.image : null,
        alt: reply.alt,
        note: last && turn.handoff ? words.handoff : null,
      });
      if (Array.isArray(reply.buttons) && reply.buttons.length) {
        buttons = reply.buttons.map(String);
      }
    });
    showQuickReplies(buttons);
  }

  async function ask(text) {
    if (busy) {
      return;
    }
    const message = text.trim();
    if (!message) {
      input.focus();
      return;
    }
    addMessage("customer", message);
    showQuickReplies([]);
    input.value = "";
    setBusy(true);
    try {
      const response = await fetch("/chat/api/messages", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-Kluis-Chat": "1",
        },
        body: JSON.stringify({ text: message }),
      });
      let body = null;
      try {
        body = await response.json();
      } catch (error) {
        body = null;
      }
      if (response.ok && body) {
        showTurn(body);
      } else if (response.status === 401) {
        addMessage("kluis", words.signedOut, { problem: true });
        window.setTimeout(function () { window.location.assign("/chat"); }, 2500);
      } else if (body && body.relink) {
        addMessage("kluis", String(body.error), { problem: true });
        window.setTimeout(function () { window.location.assign("/chat"); }, 2500);
      } else {
        addMessage("kluis", (body && body.error) ? String(body.error) : words.error, { problem: true });
      }
    } catch (error) {
      addMessage("kluis", words.error, { problem: true });
    } finally {
      setBusy(false);
    }
  }

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(input.value);
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ask(input.value);
    }
  });

  quickReplies.addEventListener("click", function (event) {
    const button = event.target.closest("button.chip");
    if (!button) {
      return;
    }
    ask(button.textContent);
    // The chips are gone now; keep the keyboard where the customer can go on typing.
    input.focus();
  });

  // Alerts Kluis gives on its own (a payment to check, a low balance) appear while the
  // chat is open: the page asks for new ones every few seconds.
  let alertsSeen = null;
  async function pollAlerts() {
    try {
      const query = alertsSeen === null ? "" : "?after=" + encodeURIComponent(alertsSeen);
      const response = await fetch("/chat/api/alerts" + query, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
      });
      if (!response.ok) {
        return;
      }
      const body = await response.json();
      const alerts = Array.isArray(body.alerts) ? body.alerts : [];
      for (const alert of alerts) {
        addMessage("kluis", String(alert.text || ""), {});
        if (Array.isArray(alert.buttons) && alert.buttons.length && !busy) {
          showQuickReplies(alert.buttons.map(String));
        }
      }
      if (typeof body.latest === "number") {
        alertsSeen = body.latest;
      }
    } catch (error) {
      // The next poll tries again; the alert waits in the conversation meanwhile.
    }
  }
  pollAlerts();
  window.setInterval(pollAlerts, 4000);

  scrollToEnd();
  input.focus();
})();

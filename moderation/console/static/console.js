// The console's keyboard and in-place verdicts. Served as a file: the CSP allows no inline
// script. Without it every form still works with a page load.
"use strict";

(function () {
  const csrf = () => document.body.dataset.csrf || "";
  const rows = () => Array.from(document.querySelectorAll("#rows > li.row"));
  const pane = () => document.getElementById("card");
  const queueName = () => new URLSearchParams(location.search).get("queue") || "held";

  function current() {
    return document.querySelector("#rows > li.current") || rows()[0] || null;
  }

  function say(message) {
    let box = document.getElementById("flash");
    if (!box) {
      box = document.createElement("p");
      box.id = "flash";
      box.className = "alert";
      box.setAttribute("role", "alert");
      document.querySelector("main").prepend(box);
    }
    box.textContent = message; // text, never markup
  }

  async function loadCard(row) {
    rows().forEach((r) => r.classList.toggle("current", r === row));
    if (!row) {
      if (pane()) pane().textContent = "";
      return;
    }
    row.scrollIntoView({ block: "nearest" });
    const back = location.pathname + location.search;
    const answer = await fetch(row.dataset.card + "?back=" + encodeURIComponent(back), {
      headers: { "X-Console": "fetch" },
      credentials: "same-origin",
    });
    if (!answer.ok) {
      say("That comment could not be opened (" + answer.status + ").");
      return;
    }
    // The server rendered this card with every user text escaped.
    pane().innerHTML = await answer.text();
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const at = all.indexOf(current());
    const next = all[Math.min(all.length - 1, Math.max(0, at + step))];
    if (next !== current() || !pane().querySelector(".card")) loadCard(next);
  }

  function settled(ids) {
    const all = rows();
    const at = all.indexOf(current());
    for (const id of ids) {
      const row = document.querySelector('#rows > li.row[data-id="' + CSS.escape(id) + '"]');
      if (!row) continue;
      const cell = document.querySelector(
        'tr[data-site="' + CSS.escape(row.dataset.site) + '"] [data-count="' + queueName() + '"]'
      );
      if (cell) cell.textContent = String(Math.max(0, Number(cell.textContent) - 1));
      const total = document.getElementById(queueName() + "-total");
      if (total) total.textContent = String(Math.max(0, Number(total.textContent) - 1));
      row.remove();
    }
    updateSelected();
    const left = rows();
    if (!left.length) {
      pane().textContent = "";
      say("Nothing left on this page.");
      return;
    }
    loadCard(left[Math.min(Math.max(at, 0), left.length - 1)]);
  }

  async function send(form, submitter) {
    const body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    // getAttribute: a field named "action" would shadow form.action.
    const answer = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      headers: { "X-Console": "fetch", "X-CSRF-Token": csrf() },
      credentials: "same-origin",
    });
    let data = {};
    try {
      data = await answer.json();
    } catch (error) {
      data = {};
    }
    if (!answer.ok) {
      say(data.detail || "That did not work (" + answer.status + ").");
      return null;
    }
    return data;
  }

  async function verdict(form, submitter) {
    // Keys go back to the queue at once, not to a field of the card about to be replaced.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    const data = await send(form, submitter);
    if (!data) return;
    if (!document.getElementById("rows")) {
      // A card on a page of its own: show it again, with its new status.
      say("Done: " + data.status + ".");
      const answer = await fetch("/console/comments/" + encodeURIComponent(data.id) + "/card", {
        headers: { "X-Console": "fetch" },
        credentials: "same-origin",
      });
      if (answer.ok) pane().innerHTML = await answer.text();
      return;
    }
    if (form.id === "bulk") settled(data.done || []);
    else settled([data.id]);
  }

  function updateSelected() {
    const count = document.querySelectorAll('#rows input[name="ids"]:checked').length;
    const label = document.getElementById("selected-count");
    if (label) label.textContent = String(count);
  }

  function toggleHelp(show) {
    const help = document.getElementById("help");
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.action || form.id === "bulk") {
      event.preventDefault();
      verdict(form, event.submitter);
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("[data-help]")) {
      toggleHelp();
      return;
    }
    const link = target.closest("#rows a.open");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      loadCard(link.closest("li.row"));
    }
  });

  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === "ids") updateSelected();
  });

  document.addEventListener("keydown", (event) => {
    const field = event.target instanceof Element && event.target.closest("input, select, textarea");
    if (event.key === "Escape") {
      toggleHelp(false);
      if (field) field.blur();
      return;
    }
    if (field || event.ctrlKey || event.metaKey || event.altKey) return;
    const card = pane() && pane().querySelector(".card");
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "a":
        if (card) verdict(card.querySelector('form[data-action="approve"]'));
        break;
      case "r":
        if (card) card.querySelector('form[data-action="reject"] select').focus();
        break;
      case "x": {
        const row = current();
        const box = row && row.querySelector('input[name="ids"]');
        if (box) {
          box.checked = !box.checked;
          updateSelected();
        }
        break;
      }
      case "?":
        toggleHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();

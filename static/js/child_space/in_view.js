// What must stay in front of the child on a small screen: the sticky header's height for
// what must not slide under it, "who will see this" before the first thing is sent on a
// phone, and the read-back ("Is this what you said?") brought to wherever the child is.

/** Phones, upright or on their side (the same media query as child_space.css). */
export const phone = window.matchMedia("(max-width: 40rem), (max-height: 30rem)");

/** Keep --cs-header-h equal to the sticky header's height (it wraps on narrow screens). */
export function watchHeader(header) {
  if (!header) return;
  const keep = () =>
    document.documentElement.style.setProperty("--cs-header-h", `${Math.ceil(header.getBoundingClientRect().height)}px`);
  keep();
  new ResizeObserver(keep).observe(header);
}

/** Is `element` wholly on screen, below the header? */
function inView(element, header) {
  const box = element.getBoundingClientRect();
  const top = header ? header.getBoundingClientRect().bottom : 0;
  return box.height > 0 && box.top >= top && box.bottom <= window.innerHeight;
}

/**
 * On a phone the tools come first and "who will see this" is one tap away (a closed
 * <details>). Until the child has sent something, the same words are shown again in the
 * open panel, just above "Who can see this?", so they are read before anything goes.
 */
export class WhoSeesReminder {
  constructor(root) {
    this.details = root.querySelector("[data-who-sees]");
    this.reminder = root.querySelector("[data-who-sees-reminder]");
    this.sentSomething = root.querySelector(".cs-things li[data-id]") !== null;
    if (this.details && phone.matches) this.details.open = false;
  }

  /** Something was sent (or is waiting to be): no more reminders. */
  sent() {
    this.sentSomething = true;
    if (this.reminder) this.reminder.hidden = true;
  }

  /** A panel has opened: remind the child there, if they still need it. */
  showIn(panelElement) {
    if (!this.reminder) return;
    const share = panelElement.querySelector("[data-step='share']");
    const needed = share && !this.sentSomething && phone.matches && !this.details?.open;
    if (needed) share.prepend(this.reminder);
    this.reminder.hidden = !needed;
  }
}

/**
 * The read-back card: when the words of a recording arrive and their "Is this what you
 * said?" is out of sight, a card under the header shows the question and the words, and
 * "Check my words" takes the child to them. It steps aside once the question is on screen.
 */
export class ReadBackCard {
  constructor(element, { header, band, home, openPanel }) {
    this.element = element;
    this.header = header;
    this.band = band;
    this.home = home;
    this.openPanel = openPanel;
    this.item = null;
    this.watch = null;
    element.addEventListener("click", (event) => this.click(event));
  }

  close() {
    this.element.hidden = true;
    this.watch?.disconnect();
    this.watch = null;
  }

  /** The words of `item` have arrived (`text`, the machine's draft). */
  bring(item, text) {
    this.close();
    this.item = item;
    item.classList.add("is-read-back");
    const question = item.querySelector(".cs-transcript__question") || item;
    if (inView(question, this.header)) return; // already in front of the child
    this.element.querySelector("[data-readback-text]").textContent = text;
    this.element.hidden = false;
    // Once the child has the question itself on screen, the card would only cover it.
    const headerHeight = this.header ? Math.ceil(this.header.getBoundingClientRect().height) : 0;
    this.watch = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.close();
      },
      { threshold: 1, rootMargin: `-${headerHeight}px 0px 0px 0px` },
    );
    this.watch.observe(question);
  }

  click(event) {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (!action) return;
    this.close();
    const item = this.item;
    if (action !== "readback-check" || !item?.isConnected) return;
    // The list is on the menu screen: in the early band an open panel hides it.
    if (this.band === "early" && this.openPanel()) this.home();
    const part = item.querySelector(".cs-transcript") || item;
    item.scrollIntoView({ block: "start" });
    item.classList.remove("is-read-back");
    part.setAttribute("tabindex", "-1");
    part.focus({ preventScroll: true });
  }
}

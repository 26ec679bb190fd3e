/* Single-page guest checkout (PR #4602). Progressive enhancement of checkout.html: sections open one
   at a time; each is validated by the server when recorded on the guest session (PATCH
   /api/v2/checkout/guest/session/{id}); the order is placed with POST /api/v2/checkout/guest under one
   Idempotency-Key per attempt, so "Try again" after a gateway failure resumes the same order.
   Cards and wallets come from the payment provider the page was rendered with (window.VantagePayments:
   stripe-payments.js with Stripe.js in production, local-payments.js with card-token.js in local and test
   mode): it turns the card into a PaymentMethod id and performs 3-D Secure when the order answers 202. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("checkout-config").textContent);
  var payments = window.VantagePayments;
  var form = document.getElementById("checkout-form");
  var summaryBox = document.querySelector("[data-summary]");
  var summaryList = document.querySelector("[data-summary-list]");
  var problem = document.getElementById("payment-problem");
  var processing = document.getElementById("processing");
  var placeButton = form.querySelector("[data-place-order]");
  var STEPS = ["shipping", "payment", "review"];
  var state = { done: {}, paymentMethodId: "", paymentMethodType: "card", paymentLabel: "", idempotencyKey: "", busy: false };
  var expiryTimer = 0;

  document.documentElement.classList.add("js");

  function $(selector, root) { return (root || document).querySelector(selector); }
  function each(selector, fn, root) { Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn); }
  function section(step) { return document.getElementById("step-" + step); }
  function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }

  /* ---- sections and progress ------------------------------------------------------------ */
  function unlocked(step) {
    var index = STEPS.indexOf(step);
    return STEPS.slice(0, index).every(function (s) { return state.done[s]; });
  }

  function open(step, focus) {
    STEPS.forEach(function (s) {
      var el = section(s), isOpen = s === step, toggle = $(".step-toggle", el);
      el.classList.toggle("is-open", isOpen);
      el.classList.toggle("is-locked", !unlocked(s));
      toggle.setAttribute("aria-expanded", String(isOpen));
      if (unlocked(s)) toggle.removeAttribute("aria-disabled"); else toggle.setAttribute("aria-disabled", "true");
    });
    progress(step);
    if (focus) $(".step-toggle", section(step)).focus();
  }

  function progress(step) {
    var current = STEPS.indexOf(step) + 1;
    each("[data-progress] li", function (li, i) {
      var done = i < current, now = i === current;
      li.classList.toggle("is-done", done);
      li.classList.toggle("is-current", now);
      if (now) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      $(".step-state", li).textContent = done ? " (completed)" : now ? " (current step)" : "";
    });
  }

  function reopen(step) {
    state.done[step] = false;
    section(step).classList.remove("is-complete");
    $("[data-summary-for=" + step + "]", section(step)).hidden = true;
    open(step, false);
  }

  function complete(step, text) {
    state.done[step] = true;
    var el = section(step), summary = $("[data-summary-for=" + step + "]", el);
    el.classList.add("is-complete");
    if (summary) { summary.textContent = text; summary.hidden = false; }
  }

  each(".step-toggle", function (toggle) {
    toggle.addEventListener("click", function () {
      var step = toggle.closest(".step").getAttribute("data-step");
      if (unlocked(step)) open(step, false);
    });
  });

  /* ---- errors: inline per field, tied with aria-describedby, listed in the live summary ----- */
  function labelFor(input) {
    var label = input && document.querySelector("label[for='" + input.id + "']");
    return label ? label.textContent.replace(/\s*\(optional\)/, "").trim() : "";
  }

  function describe(input, errorId, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== errorId;
    });
    if (on) ids.push(errorId);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" ")); else input.removeAttribute("aria-describedby");
    if (on) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  function clearErrors() {
    each("[data-error-for]", function (el) {
      el.textContent = "";
      var input = el.id && document.getElementById(el.id.replace(/-error$/, ""));
      if (input) describe(input, el.id, false);
    });
    summaryList.innerHTML = "";
    summaryBox.hidden = true;
  }

  /* errors: [{field, message}] as the API returns them; fields without an input go to the summary only */
  function showErrors(errors) {
    clearErrors();
    var first = null;
    errors.forEach(function (error) {
      var slot = $("[data-error-for='" + error.field + "']");
      var input = slot && document.getElementById(slot.id.replace(/-error$/, ""));
      var item = document.createElement("li");
      /* "City is required" already names its field; other messages get the label in front. */
      var label = labelFor(input);
      var text = label && error.message.indexOf(label) !== 0 ? label + ": " + error.message : error.message;
      if (slot) slot.textContent = error.message;
      if (input) {
        describe(input, slot.id, true);
        var link = document.createElement("a");
        link.href = "#" + input.id;
        link.textContent = text;
        link.addEventListener("click", function (event) { event.preventDefault(); input.focus(); });
        item.appendChild(link);
        first = first || input;
      } else if (error.cartUrl) {
        withCartLink(item, text, error.cartUrl);
      } else {
        item.textContent = text;
      }
      summaryList.appendChild(item);
    });
    summaryBox.hidden = errors.length === 0;
    if (first) {
      var step = first.closest(".step").getAttribute("data-step");
      if (unlocked(step)) open(step, false);
      first.focus();
    }
  }

  /* OUT_OF_STOCK names the cart's address in its message ("Change your cart at /cart/ …"): that address
     becomes a link back to the cart (appended when the message does not name it). */
  function withCartLink(item, message, cartUrl) {
    var at = message.indexOf(cartUrl);
    var link = document.createElement("a");
    link.href = cartUrl;
    link.textContent = at === -1 ? "Back to your cart" : "your cart page";
    item.appendChild(document.createTextNode(at === -1 ? message + " " : message.slice(0, at)));
    item.appendChild(link);
    if (at !== -1) item.appendChild(document.createTextNode(message.slice(at + cartUrl.length)));
  }

  function stepOfField(field) {
    if (field === "payment_method_id" || field.indexOf("card") === 0) return "payment";
    return "shipping";
  }

  /* ---- the guest session API -------------------------------------------------------------- */
  function api(method, url, body, headers) {
    var options = { method: method, credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json", Accept: "application/json" }, headers || {}) };
    if (body) options.body = JSON.stringify(body);
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function sessionPatch(body) {
    return api("PATCH", config.sessionApi, body, { Authorization: "Bearer " + config.sessionToken });
  }

  function keepAlive(seconds) {
    clearTimeout(expiryTimer);
    expiryTimer = setTimeout(expire, Math.max(seconds, 1) * 1000);
  }

  function expire() {
    clearTimeout(expiryTimer);
    form.hidden = true;
    summaryBox.hidden = true;
    var notice = document.getElementById("session-expired");
    notice.hidden = false;
    $("[data-restart]", notice).focus();
  }

  function failed(result) {
    var data = result.data || {};
    if (result.status === 422 && data.errors) { showErrors(data.errors); return; }
    if (data.error === "SESSION_EXPIRED" || data.error === "CART_NOT_FOUND") { expire(); return; }
    showErrors([{ field: "__all__", message: data.message || "Something went wrong. Please try again.",
      cartUrl: data.cart_url }]);
  }

  function offline() {
    showErrors([{ field: "__all__", message: "We could not reach the store. Check your connection and try again." }]);
  }

  function address() {
    return { line1: value("shipping_address.line1"), line2: value("shipping_address.line2"),
      city: value("shipping_address.city"), state: value("shipping_address.state"),
      zip: value("shipping_address.zip"), country: value("shipping_address.country") };
  }

  function addressText(a) {
    return [a.line1, a.line2, a.city + ", " + a.state + " " + a.zip, a.country].filter(Boolean).join(", ");
  }

  function continueShipping() {
    var body = { email: value("email"), shipping_address: address() };
    if (quote.selected()) body.shipping_method = quote.selected();
    clearErrors();
    return sessionPatch(body).then(function (result) {
      if (result.status !== 200) { failed(result); return false; }
      keepAlive(result.data.ttl_remaining_seconds);
      quote.show(result.data.quote);
      quote.refresh(false);
      complete("shipping", body.email + " · " + addressText(body.shipping_address));
      $("[data-review=shipping]").textContent = addressText(body.shipping_address);
      open(state.done.payment ? "review" : "payment", true);
      return true;
    }, offline);
  }

  /* type: "card" or "apple_pay" — the order and the Stripe intent record which wallet paid. */
  function choosePayment(paymentMethodId, label, type) {
    clearErrors();
    return sessionPatch({ payment_method_id: paymentMethodId }).then(function (result) {
      if (result.status !== 200) { failed(result); return false; }
      keepAlive(result.data.ttl_remaining_seconds);
      state.paymentMethodId = paymentMethodId;
      state.paymentMethodType = type || "card";
      state.paymentLabel = label;
      state.idempotencyKey = "";
      complete("payment", label);
      $("[data-review=payment]").textContent = label;
      open("review", true);
      return true;
    }, offline);
  }

  function continuePayment() {
    var chosen = $("input[name=method]:checked", form);
    if (chosen && chosen.value !== "new_card") return choosePayment(chosen.value, chosen.getAttribute("data-label"));
    clearErrors();
    return payments.createPaymentMethod({ email: value("email") }).then(function (method) {
      if (method.errors) {
        showErrors(Object.keys(method.errors).map(function (field) { return { field: field, message: method.errors[field] }; }));
        return false;
      }
      return choosePayment(method.id, method.label);
    });
  }

  each("[data-continue]", function (button) {
    button.addEventListener("click", function () {
      if (state.busy) return;
      setBusy(true, false);
      var step = button.getAttribute("data-continue");
      (step === "shipping" ? continueShipping() : continuePayment()).then(function () { setBusy(false, false); });
    });
  });

  each("input[name=method]", function (radio) {
    radio.addEventListener("change", function () {
      $("[data-card-fields]").hidden = $("input[name=method]:checked", form).value !== "new_card";
    });
  });

  /* ---- placing the order ------------------------------------------------------------------ */
  function setBusy(busy, paying) {
    state.busy = busy;
    form.setAttribute("aria-busy", String(busy));
    each("[data-continue], [data-place-order], [data-retry]", function (b) { b.disabled = busy; });
    processing.hidden = !(busy && paying);
  }

  function newKey() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return "idk_" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function authenticationFailed(data) {
    return [data.error, data.code, data.decline_code].indexOf("AUTHENTICATION_FAILED") !== -1;
  }

  /* 202: the card needs 3-D Secure. The provider shows the bank's challenge, then the same order is sent
     again under a new Idempotency-Key (the first key would replay the 202) and the server reads the
     intent's outcome: 201, 402 AUTHENTICATION_FAILED, or 202 again when the challenge was left unanswered. */
  function authenticate(data, attempt, beforeLeaving, authenticated) {
    state.idempotencyKey = "";
    if (authenticated) {
      paymentProblem(config.authenticationIncompleteMessage);
      return Promise.resolve({ status: 202, data: data });
    }
    setBusy(true, false);
    return payments.handleNextAction({ clientSecret: data.payment_intent_client_secret, type: data.next_action_type,
      amount: config.total, currency: config.currency, label: state.paymentLabel }).then(function () {
      setBusy(false, false);
      return placeOrder(attempt, beforeLeaving, true);
    });
  }

  /* beforeLeaving(result) runs on success before the page goes to the confirmation (Apple Pay's sheet
     must hear "success" first). */
  function placeOrder(attempt, beforeLeaving, authenticated) {
    attempt = typeof attempt === "number" ? attempt : 0;
    if (state.busy) return Promise.resolve(null);
    var missing = STEPS.slice(0, 2).filter(function (s) { return !state.done[s]; });
    if (missing.length) {
      open(missing[0], true);
      showErrors([{ field: "__all__", message: "Complete the " + missing[0] + " section before placing your order." }]);
      return Promise.resolve(null);
    }
    state.idempotencyKey = state.idempotencyKey || newKey();
    problem.hidden = true;
    clearErrors();
    setBusy(true, true);
    var body = { cart_id: config.cartId, email: value("email"), shipping_address: address(),
      payment_method_id: state.paymentMethodId, payment_method_type: state.paymentMethodType,
      session_id: config.sessionId };
    if (quote.selected()) body.shipping_method = quote.selected();
    // The session's token proves this page owns session_id (and, resent after 3-D Secure, the order).
    var headers = { "Idempotency-Key": state.idempotencyKey, Authorization: "Bearer " + config.sessionToken };
    return api("POST", config.checkoutApi, body, headers).then(function (result) {
      if (result.status === 201) {
        if (beforeLeaving) beforeLeaving(result);
        window.location.assign(config.confirmationUrl.replace("TOKEN", result.data.confirmation_token));
        return result;
      }
      setBusy(false, false);
      var data = result.data || {};
      if (result.status === 202 && data.status === "requires_action") {
        return authenticate(data, attempt, beforeLeaving, authenticated);
      }
      if ((data.error === "CHECKOUT_IN_PROGRESS" || data.error === "IDEMPOTENCY_KEY_IN_USE") && attempt < 20) {
        /* Another tab (or a double click) is placing this cart: wait for it, then get its order.
           A stored 409 would replay under the same key, so a busy cart is asked again with a new one. */
        if (data.error === "CHECKOUT_IN_PROGRESS") state.idempotencyKey = "";
        setBusy(true, true);
        return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(function () {
          setBusy(false, false);
          return placeOrder(attempt + 1, beforeLeaving, authenticated);
        });
      }
      if (result.status >= 500 || data.error === "CHECKOUT_IN_PROGRESS") {
        paymentProblem(result.status >= 500 ? config.paymentRetryMessage : data.message);
      } else if (result.status === 402) {
        state.idempotencyKey = "";
        reopen("payment");
        showErrors([{ field: "payment_method_id", message: authenticationFailed(data) ? config.authenticationFailedMessage
          : data.message || "Your card was declined." }]);
      } else {
        state.idempotencyKey = "";
        if (result.status === 422 && data.errors && data.errors.length) {
          open(stepOfField(data.errors[0].field), false);
        }
        failed(result);
      }
      return result;
    }, function () {
      setBusy(false, false);
      paymentProblem(config.paymentRetryMessage);
      return null;
    });
  }

  function paymentProblem(message) {
    $("[data-payment-message]", problem).textContent = message;
    problem.hidden = false;
    $("[data-retry]", problem).focus();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); placeOrder(0); });
  $("[data-retry]", problem).addEventListener("click", function () { placeOrder(0); });

  function browserEvent(name) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(config.eventsUrl, { method: "POST", credentials: "same-origin", body: JSON.stringify({ event: name }),
      headers: { "Content-Type": "application/json", "X-CSRFToken": token } }).catch(function () {});
  }

  /* Wallets (Apple Pay, Google Pay) pay in one go: the payment method is recorded, then the order placed.
     Resolves with placeOrder's result, or null when the session refused the payment method. */
  function payWithWallet(paymentMethodId, label, type, beforeLeaving) {
    return choosePayment(paymentMethodId, label, type).then(function (ok) {
      return ok ? placeOrder(0, beforeLeaving) : null;
    });
  }

  function shippingReady(wallet) {
    if (state.done.shipping) return true;
    open("shipping", true);
    showErrors([{ field: "__all__", message: "Enter your shipping address before paying with " + wallet + "." }]);
    return false;
  }

  /* ---- start: resume where the session left off ------------------------------------------- */
  var quote = window.VantageQuote.start({ config: config, form: form, api: api, address: address, expire: expire,
    payments: payments });
  payments.start({ config: config, form: form, browserEvent: browserEvent,
    shippingReady: shippingReady, payWithWallet: payWithWallet, openPayment: function () { open("payment", true); },
    newKey: newKey });
  keepAlive(config.ttlSeconds);
  $("[data-card-fields]").hidden = ($("input[name=method]:checked", form) || {}).value !== "new_card";
  open("shipping", false);
})();

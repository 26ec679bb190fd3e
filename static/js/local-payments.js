/* The payment provider of the checkout and account pages in local and test mode (never on production pages: the server
   renders stripe-payments.js there). It stands in for Stripe.js the way Stripe's test mode behaves:
   - cards: card-token.js turns Stripe's test card numbers into test PaymentMethod ids in the browser;
   - 3-D Secure: a simulated challenge dialog (Complete / Fail authentication) whose answer the page posts
     to /checkout/test-authentication, which tells the local Stripe server;
   - Apple Pay: the browser's ApplePaySession, with merchant validation stubbed (Stripe's Express Checkout
     Element does the real validation in production). */
(function () {
  "use strict";
  var checkout = null;

  function createPaymentMethod() {
    var card = {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-card]"), function (input) {
      card[input.getAttribute("data-card")] = input.value;
    });
    return Promise.resolve(window.VantageCard.tokenize(card));
  }

  /* ---- 3-D Secure: the simulated challenge ------------------------------------------------- */
  function csrfToken() {
    return checkout.form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function recordOutcome(clientSecret, outcome) {
    return fetch(checkout.config.testAuthenticationUrl, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ client_secret: clientSecret, outcome: outcome }) }).then(function (response) {
      return response.ok;
    }, function () { return false; });
  }

  /* Resolves once the shopper answered (or closed) the challenge; the page then asks the server how the
     payment stands, exactly as after Stripe.js' handleNextAction. */
  function handleNextAction(action) {
    /* Local mode against Stripe itself (STRIPE_JS_MODE=local with Stripe's API): nothing here can answer
       Stripe's challenge, so the order stays unpaid and the page says so. */
    if (!checkout.config.testAuthenticationUrl) return Promise.resolve({ error: "authentication_unavailable" });
    var dialog = document.getElementById("authentication-challenge");
    var error = dialog.querySelector("[data-challenge-error]");
    var buttons = dialog.querySelectorAll("[data-challenge-outcome]");
    /* No amount: a card being saved (SetupIntent), which the bank checks without charging it. */
    var saving = !action.amount;
    dialog.querySelector("#challenge-title").textContent = saving ? "Confirm your card" : "Confirm this payment";
    dialog.querySelector("#challenge-intro").textContent = "Your card issuer asks you to confirm " +
      (saving ? "this card before it is saved." : "this payment before it is charged.");
    dialog.querySelector("[data-challenge-amount]").textContent = saving
      ? "No charge" : "$" + action.amount + " " + action.currency;
    dialog.querySelector("[data-challenge-card]").textContent = action.label || "Card";
    error.textContent = "";
    return new Promise(function (resolve) {
      function finish(result) {
        Array.prototype.forEach.call(buttons, function (b) { b.removeEventListener("click", answer); b.disabled = false; });
        dialog.removeEventListener("cancel", closed);
        if (dialog.open) dialog.close();
        resolve(result);
      }
      function answer(event) {
        var outcome = event.currentTarget.getAttribute("data-challenge-outcome");
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
        recordOutcome(action.clientSecret, outcome).then(function (ok) {
          if (ok) { finish(outcome === "complete" ? {} : { error: "authentication_failed" }); return; }
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
          error.textContent = "The test bank did not answer. Try again.";
        });
      }
      function closed() { finish({ error: "authentication_closed" }); }
      Array.prototype.forEach.call(buttons, function (b) { b.addEventListener("click", answer); });
      dialog.addEventListener("cancel", closed);
      dialog.showModal();
      buttons[0].focus();
    });
  }

  /* ---- Apple Pay (CHKOUT-1940): only when the browser supports it and the flag is on --------- */
  function applePayAvailable() {
    try {
      return Boolean(checkout.config.applePay && window.ApplePaySession && window.ApplePaySession.canMakePayments());
    } catch (e) {
      return false;
    }
  }

  function payWithApplePay() {
    if (!checkout.shippingReady("Apple Pay")) return;
    var config = checkout.config, Session = window.ApplePaySession;
    var session = new Session(3, { countryCode: "US", currencyCode: config.currency, merchantCapabilities: ["supports3DS"],
      supportedNetworks: ["visa", "masterCard", "amex", "discover"],
      total: { label: "Vantage Commerce", amount: config.total } });
    session.onvalidatemerchant = function () { session.completeMerchantValidation({}); };
    session.onpaymentauthorized = function (event) {
      checkout.browserEvent("apple_pay_authorized");
      /* Stripe turns the Apple Pay token into a PaymentMethod; its id names the wallet card. */
      var token = event.payment.token || {};
      var paymentMethodId = token.paymentMethodId || "pm_apple_pay_" + (token.transactionIdentifier || checkout.newKey());
      var succeeded = function () { session.completePayment(Session.STATUS_SUCCESS); };
      checkout.payWithWallet(paymentMethodId, "Apple Pay", "apple_pay", succeeded).then(function (result) {
        if (!result || result.status !== 201) session.completePayment(Session.STATUS_FAILURE);
      });
    };
    session.oncancel = checkout.openPayment;
    session.begin();
  }

  function start(page) {
    checkout = page;
    if (applePayAvailable()) {
      document.getElementById("apple-pay-box").hidden = false;
      document.getElementById("apple-pay-button").addEventListener("click", payWithApplePay);
      checkout.browserEvent("apple_pay_button_shown");
    }
  }

  window.VantagePayments = { start: start, createPaymentMethod: createPaymentMethod, handleNextAction: handleNextAction };
})();

/* The payment provider of the checkout and account pages in production: Stripe.js (loaded from https://js.stripe.com/v3/ just
   before this file). Card data stays inside Stripe's iframes and never touches our server:
   - cards: the Payment Element; on "Continue to review" elements.submit() validates it and
     stripe.createPaymentMethod() returns the PaymentMethod id the page sends exactly as before;
   - wallets (Apple Pay, Google Pay, behind the apple_pay flag): the Express Checkout Element, which also
     performs Apple Pay merchant validation; its confirm event creates the PaymentMethod and places the order;
   - 3-D Secure: stripe.handleNextAction({clientSecret}) shows the bank's challenge when the order answers 202.
   Elements run in "payment" mode with manual PaymentMethod creation, the server confirms the intent. */
(function () {
  "use strict";
  var checkout = null, stripe = null, elements = null;
  var WALLETS = { apple_pay: "Apple Pay", google_pay: "Google Pay" };
  var UNAVAILABLE = "We could not reach our payment processor. Check your connection and reload the page.";

  function cardLabel(paymentMethod) {
    var card = paymentMethod.card || {};
    var brand = (card.display_brand || card.brand || "card").replace(/_/g, " ");
    brand = brand.charAt(0).toUpperCase() + brand.slice(1);
    return card.last4 ? brand + " •••• " + card.last4 : brand;
  }

  /* {email} of the shipping section → {id, label} or {errors: {card: message}}. The Payment Element collects
     the billing fields the card needs (country, postal code); the shipping address is not assumed to be them. */
  function createPaymentMethod(details) {
    if (!elements) return Promise.resolve({ errors: { card: UNAVAILABLE } });
    return elements.submit().then(function (submitted) {
      if (submitted.error) return { errors: { card: submitted.error.message } };
      var params = details.email ? { billing_details: { email: details.email } } : {};
      return stripe.createPaymentMethod({ elements: elements, params: params }).then(function (created) {
        if (created.error) return { errors: { card: created.error.message } };
        return { id: created.paymentMethod.id, label: cardLabel(created.paymentMethod) };
      });
    }, function () {
      return { errors: { card: UNAVAILABLE } };
    });
  }

  /* Resolves {} when the bank's challenge completed, {error} otherwise; the page then asks the server. */
  function handleNextAction(action) {
    return stripe.handleNextAction({ clientSecret: action.clientSecret }).then(function (result) {
      return result.error ? { error: result.error.code || result.error.message } : {};
    }, function () { return { error: "network" }; });
  }

  function mountWallets() {
    var box = document.getElementById("wallets-box");
    var express = elements.create("expressCheckout", { paymentMethods: { applePay: "auto", googlePay: "auto",
      link: "never", amazonPay: "never", paypal: "never", klarna: "never" } });
    express.on("ready", function (event) {
      var available = event.availablePaymentMethods || {};
      box.hidden = !(available.applePay || available.googlePay);
      if (available.applePay) checkout.browserEvent("apple_pay_button_shown");
    });
    express.on("click", function (event) {
      /* Not resolving the click keeps the wallet sheet closed until shipping is known. */
      if (checkout.shippingReady("a wallet")) event.resolve({ emailRequired: false });
    });
    express.on("confirm", function (event) {
      var wallet = event.expressPaymentType;
      if (wallet === "apple_pay") checkout.browserEvent("apple_pay_authorized");
      elements.submit().then(function (submitted) {
        if (submitted.error) return null;
        return stripe.createPaymentMethod({ elements: elements, params: { billing_details: event.billingDetails || {} } });
      }).then(function (created) {
        if (!created || created.error) return null;
        return checkout.payWithWallet(created.paymentMethod.id, WALLETS[wallet] || cardLabel(created.paymentMethod),
          wallet === "apple_pay" ? "apple_pay" : "card");
      }).then(function (result) {
        if (!result || result.status !== 201) event.paymentFailed({ reason: "fail" });
      });
    });
    express.mount("#express-checkout-element");
  }

  function start(page) {
    checkout = page;
    var options = checkout.config.stripe;
    if (!window.Stripe) return;  /* blocked or offline: "Continue to review" explains */
    stripe = window.Stripe(options.publishableKey);
    /* Express checkout only authenticates intents the server created: no card fields to mount. */
    if (!document.getElementById("payment-element")) return;
    /* "payment" on the checkout page (the amount shows in wallets), "setup" where a card is saved for later. */
    var elementsOptions = { mode: options.mode, currency: options.currency, paymentMethodCreation: "manual",
      appearance: { theme: "stripe", variables: { borderRadius: "6px" } } };
    if (options.mode === "payment") elementsOptions.amount = options.amount;
    elements = stripe.elements(elementsOptions);
    elements.create("payment", { layout: "tabs", wallets: { applePay: "never", googlePay: "never" } })
      .mount("#payment-element");
    if (checkout.config.applePay) mountWallets();
  }

  /* The order's total changed (another shipping method or address): wallets show the new amount. */
  function amountChanged(total) {
    if (elements && checkout.config.stripe.mode === "payment") {
      elements.update({ amount: Math.round(Number(total) * 100) });
    }
  }

  window.VantagePayments = { start: start, createPaymentMethod: createPaymentMethod, handleNextAction: handleNextAction,
    amountChanged: amountChanged };
})();

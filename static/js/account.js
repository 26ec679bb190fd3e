/* Account page: save a card, make it the default or remove it, and set the default shipping address —
   through the payments API with the session. The card comes from the page's payment provider
   (window.VantagePayments: Stripe.js in production, card-token.js in local and test mode); when the bank
   wants 3-D Secure before saving it (202 from the SetupIntent), the provider shows the challenge and the
   same card is sent again: 201 saved, 402 AUTHENTICATION_FAILED not saved. */
(function () {
  "use strict";
  var cards = document.querySelector("[data-account-api]");
  var status = document.querySelector("[data-account-status]");
  var csrf = cards.querySelector("input[name=csrfmiddlewaretoken]").value;
  var api = cards.getAttribute("data-account-api");
  var config = JSON.parse(document.getElementById("payments-config").textContent);
  var payments = window.VantagePayments;
  var AUTHENTICATION_FAILED = "Your bank could not confirm this card, so it was not saved. Try again, or use a different card.";
  var AUTHENTICATION_INCOMPLETE = "Your bank's check was not finished, so the card was not saved. Select Save card to try again.";

  function call(method, url, body) {
    return fetch(url, { method: method, credentials: "same-origin", body: body ? JSON.stringify(body) : undefined,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
  }

  function showErrors(form, errors) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-error-for]"), function (slot) {
      var input = document.getElementById(slot.id.replace(/-error$/, ""));
      var error = errors.filter(function (e) { return e.field === slot.getAttribute("data-error-for"); })[0];
      slot.textContent = error ? error.message : "";
      if (!input) return;
      if (error) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", slot.id); }
      else { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby"); }
    });
    var first = form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
    status.textContent = errors.length ? errors.map(function (e) { return e.message; }).join(". ") : "";
  }

  function done(form, result, message) {
    if (result.status < 300) { status.textContent = message; window.location.reload(); return; }
    var data = result.data || {};
    showErrors(form, data.errors || [{ field: form.hasAttribute("data-address-form") ? "line1" : "payment_method_id",
      message: data.message || "Something went wrong. Please try again." }]);
  }

  var addCard = document.querySelector("[data-add-card]");

  function cardError(message) {
    return { status: 402, data: { message: message } };
  }

  /* POST the card; on 202 authenticate once, then POST it again (the server reads the SetupIntent). */
  function saveCard(method, authenticated) {
    return call("POST", api, { payment_method_id: method.id, make_default: true }).then(function (result) {
      var data = result.data || {};
      if (result.status === 402 && data.decline_code === "AUTHENTICATION_FAILED") return cardError(AUTHENTICATION_FAILED);
      if (result.status !== 202) return result;
      if (authenticated) return cardError(AUTHENTICATION_INCOMPLETE);
      return payments.handleNextAction({ clientSecret: data.setup_intent_client_secret, type: data.next_action_type,
        label: method.label }).then(function () { return saveCard(method, true); });
    });
  }

  addCard.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = addCard.querySelector("button[type=submit]");
    button.disabled = true;
    payments.createPaymentMethod({}).then(function (method) {
      if (method.errors) {
        showErrors(addCard, Object.keys(method.errors).map(function (f) { return { field: f, message: method.errors[f] }; }));
        return null;
      }
      return saveCard(method, false).then(function (result) { done(addCard, result, "Card saved."); });
    }).then(function () { button.disabled = false; }, function () {
      button.disabled = false;
      showErrors(addCard, [{ field: "payment_method_id", message: "We could not reach the store. Check your connection and try again." }]);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-card-default], [data-card-remove]"), function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-card-default") || button.getAttribute("data-card-remove");
      var remove = button.hasAttribute("data-card-remove");
      call(remove ? "DELETE" : "POST", api + "/" + encodeURIComponent(id) + (remove ? "" : "/default"))
        .then(function (result) { done(addCard, result, remove ? "Card removed." : "Default card changed."); });
    });
  });

  payments.start({ config: config, form: cards });

  var address = document.querySelector("[data-address-form]");
  address.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {};
    Array.prototype.forEach.call(address.querySelectorAll("input[name]"), function (input) {
      body[input.name] = input.value.trim();
    });
    call("PUT", address.getAttribute("data-url"), body).then(function (result) {
      done(address, result, "Default address saved.");
    });
  });
})();

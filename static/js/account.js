/* Account page: save a card (tokenized in the browser, see card-token.js), make it the default or
   remove it, and set the default shipping address — through the payments API with the session. */
(function () {
  "use strict";
  var cards = document.querySelector("[data-account-api]");
  var status = document.querySelector("[data-account-status]");
  var csrf = cards.querySelector("input[name=csrfmiddlewaretoken]").value;
  var api = cards.getAttribute("data-account-api");

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
  addCard.addEventListener("submit", function (event) {
    event.preventDefault();
    var card = {};
    Array.prototype.forEach.call(addCard.querySelectorAll("[data-card]"), function (input) {
      card[input.getAttribute("data-card")] = input.value;
    });
    var token = window.VantageCard.tokenize(card);
    if (token.errors) {
      showErrors(addCard, Object.keys(token.errors).map(function (f) { return { field: f, message: token.errors[f] }; }));
      return;
    }
    call("POST", api, { payment_method_id: token.id, make_default: true }).then(function (result) {
      done(addCard, result, "Card saved.");
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

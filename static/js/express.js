/* Express checkout (CHKOUT-1970): one click opens a 5-second confirmation dialog; Cancel or Escape
   cancels; when the window ends the order is placed. The server owns the deadline: this script only
   shows the countdown it was given and asks the server for the outcome, which is always one of
   "cancelled" (no order, no charge) or "placed" (one order), or "requires_action" when the saved card needs
   3-D Secure: the payment provider (window.VantagePayments, as on the checkout page) shows the bank's
   challenge, then the page asks again: "placed", or 402 (not charged). */
(function () {
  "use strict";
  var INCOMPLETE = "Your bank's check was not finished, so you have not been charged.";
  var payments = window.VantagePayments;
  function post(url, box, body) {
    var token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, { method: "POST", credentials: "same-origin", body: body || new FormData(),
      headers: { "X-CSRFToken": token, Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
  }

  function setup(box) {
    var button = box.querySelector("[data-express-button]");
    var dialog = box.querySelector("dialog");
    var seconds = dialog.querySelector("[data-seconds]");
    var error = dialog.querySelector("[data-express-error]");
    var status = box.querySelector("[data-express-status]");
    var cancelButton = dialog.querySelector("[data-express-cancel]");
    var pending = null, timer = 0, settled = false;

    function text(selector, value) { dialog.querySelector(selector).textContent = value; }

    function stop(message) {
      error.textContent = message;
      cancelButton.textContent = "Close";
      cancelButton.disabled = false;
      settled = true;
    }

    /* The bank's challenge once; a second requires_action means it was closed or left unanswered. */
    function authenticate(data, cancelled, authenticated) {
      if (authenticated || !payments) { stop(INCOMPLETE); return; }
      payments.handleNextAction({ clientSecret: data.client_secret, type: data.next_action_type,
        amount: pending.total, currency: pending.currency, label: pending.card }).then(function () {
        decide(cancelled ? pending.cancel_url : pending.complete_url, cancelled, true);
      });
    }

    function finish(result, cancelled, authenticated) {
      var data = result.data || {};
      if (result.status === 200 && data.status === "requires_action") {
        authenticate(data, cancelled, authenticated);
      } else if (result.status === 200 && data.status === "placed") {
        settled = true;
        window.location.assign(data.confirmation_url);
      } else if (result.status === 200 && data.status === "cancelled") {
        settled = true;
        clearInterval(timer);
        dialog.close();
        status.textContent = "Express order cancelled. You have not been charged.";
        button.focus();
      } else if (result.status === 202 || (result.status === 409 && data.error === "EXPRESS_WINDOW_OPEN")) {
        setTimeout(function () { decide(cancelled ? pending.cancel_url : pending.complete_url, cancelled, authenticated); },
          Math.max(data.retry_after_ms || 500, 100));
      } else {
        stop(data.message || "Something went wrong. Please try again.");
      }
    }

    function decide(url, cancelled, authenticated) {
      return post(url, box).then(function (result) { finish(result, cancelled, authenticated); }, function () {
        error.textContent = "We could not reach the store. Check your connection and try again.";
      });
    }

    function cancel() {
      if (!pending) return;
      if (settled) { dialog.close(); button.focus(); return; }
      clearInterval(timer);
      cancelButton.disabled = true;
      decide(pending.cancel_url, true);
    }

    button.addEventListener("click", function () {
      var body = new FormData();
      if (box.getAttribute("data-product-id")) {
        body.append("product_id", box.getAttribute("data-product-id"));
        var quantity = document.getElementById("quantity");
        body.append("quantity", quantity ? quantity.value : "1");
      }
      button.disabled = true;
      status.textContent = "";
      post(box.getAttribute("data-start-url"), box, body).then(function (result) {
        button.disabled = false;
        if (result.status !== 201) { status.textContent = result.data.message || "Express checkout is not available."; return; }
        pending = result.data;
        settled = false;
        error.textContent = "";
        cancelButton.disabled = false;
        cancelButton.textContent = "Cancel order";
        var lines = dialog.querySelector("[data-express-lines]");
        lines.innerHTML = "";
        pending.lines.forEach(function (line) {
          var li = document.createElement("li");
          li.className = "line";
          li.textContent = line.name + " × " + line.quantity + " — " + line.line_total_display;
          lines.appendChild(li);
        });
        text("[data-express-shipping]", pending.shipping_display);
        text("[data-express-tax-label]", pending.tax_label);
        text("[data-express-tax]", pending.tax_display);
        text("[data-express-total]", pending.total_display);
        text("[data-express-address]", pending.address);
        text("[data-express-card]", pending.card);
        var endsAt = Date.now() + pending.remaining_ms;
        seconds.textContent = String(Math.ceil(pending.remaining_ms / 1000));
        dialog.showModal();
        cancelButton.focus();
        timer = setInterval(function () {
          var left = endsAt - Date.now();
          seconds.textContent = String(Math.max(Math.ceil(left / 1000), 0));
          if (left <= 0) {
            clearInterval(timer);
            cancelButton.disabled = true;
            decide(pending.complete_url, false);
          }
        }, 200);
      }, function () { button.disabled = false; });
    });

    cancelButton.addEventListener("click", cancel);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); cancel(); });
  }

  var boxes = document.querySelectorAll("[data-express]");
  var config = document.getElementById("express-payments-config");
  if (payments && config && boxes.length) payments.start({ config: JSON.parse(config.textContent), form: boxes[0] });
  Array.prototype.forEach.call(boxes, setup);
})();

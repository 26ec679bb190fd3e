/* The checkout page's shipping options and order summary (used by checkout.js).
   Once the address is complete enough to ship to (a country; in the US a state code and a ZIP), the page
   asks GET /api/v2/checkout/guest/shipping-options for the methods that reach it and the cart's amounts by
   the chosen one, shows the methods as radio buttons with price and delivery dates, and rewrites every
   amount on the page (summary, review, "Place order" button) from the server's quote: nothing is computed
   here, so the page shows exactly what the order will charge. */
(function () {
  "use strict";

  function start(checkout) {
    var config = checkout.config, form = checkout.form;
    var list = document.querySelector("[data-shipping-option-list]");
    var hint = document.querySelector("[data-shipping-hint]");
    var undeliverable = document.getElementById("f-undeliverable-error");
    var locale = document.documentElement.lang || "en-US";
    var state = { selected: config.shippingMethod || "", key: "", request: 0, timer: 0, quote: null };

    function money(value) {
      return new Intl.NumberFormat(locale, { style: "currency", currency: config.currency }).format(Number(value));
    }

    function day(iso, withYear) {
      var parts = iso.split("-").map(Number);
      var options = { weekday: "long", month: "long", day: "numeric" };
      if (withYear) options.year = "numeric";
      return new Date(parts[0], parts[1] - 1, parts[2]).toLocaleDateString(locale, options);
    }

    function shortDay(iso) {
      var parts = iso.split("-").map(Number);
      return new Date(parts[0], parts[1] - 1, parts[2]).toLocaleDateString(locale,
        { weekday: "short", month: "short", day: "numeric" });
    }

    function complete(a) {
      if (!/^[A-Za-z]{2}$/.test(a.country)) return false;
      if (a.country.toUpperCase() !== "US") return true;
      return /^[A-Za-z]{2}$/.test(a.state) && /^\d{5}(-\d{4})?$/.test(a.zip);
    }

    function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

    function windowNodes(earliest, latest) {
      var fragment = document.createDocumentFragment(), first = document.createElement("time"),
        last = document.createElement("time");
      first.dateTime = earliest;
      first.textContent = day(earliest, false);
      last.dateTime = latest;
      last.textContent = day(latest, true);
      last.setAttribute("data-estimated-delivery", "");
      fragment.appendChild(first);
      fragment.appendChild(document.createTextNode(" – "));
      fragment.appendChild(last);
      return fragment;
    }

    /* The quote's amounts as the shopper reads them: listed prices, then the tax on top or the VAT they include. */
    function show(quote) {
      if (!quote) return;
      state.quote = quote;
      var rows = {
        items: money(quote.items_total),
        shipping: Number(quote.shipping_price) === 0 ? "Free" : money(quote.shipping_price),
        tax: money(quote.tax_total),
        total: money(quote.total_charged)
      };
      Object.keys(rows).forEach(function (name) {
        each("[data-amount=" + name + "]", function (el) { el.textContent = rows[name]; });
      });
      each("[data-amount-label=tax]", function (el) { el.textContent = quote.prices_include_tax ? "VAT included" : "Tax"; });
      each("[data-amount-label=shipping-method]", function (el) { el.textContent = "(" + quote.shipping_method_name + ")"; });
      each("[data-review=shipping-method]", function (el) { el.textContent = quote.shipping_method_name; });
      each("[data-delivery-window]", function (el) {
        el.textContent = "";
        el.appendChild(windowNodes(quote.delivery_window.earliest, quote.delivery_window.latest));
      });
      config.total = Number(quote.total_charged).toFixed(2);
      if (checkout.payments && checkout.payments.amountChanged) checkout.payments.amountChanged(quote.total_charged);
    }

    function option(o, checked) {
      var label = document.createElement("label"), input = document.createElement("input");
      label.className = "method shipping-option";
      input.type = "radio";
      input.name = "shipping_method";
      input.value = o.code;
      input.checked = checked;
      input.addEventListener("change", function () {
        state.selected = o.code;
        refresh(true);
      });
      var name = document.createElement("span"), dates = document.createElement("span"),
        price = document.createElement("span");
      name.className = "option-name";
      name.textContent = o.name;
      dates.className = "option-dates muted";
      dates.textContent = "Arrives " + shortDay(o.earliest_delivery) + " – " + shortDay(o.latest_delivery);
      price.className = "option-price";
      price.textContent = Number(o.price) === 0 ? "Free" : money(o.price);
      if (Number(o.price) > 0 && o.free_shipping_threshold !== null) {
        var free = document.createElement("span");
        free.className = "option-free muted";
        free.textContent = "Free over " + money(o.free_shipping_threshold);
        dates.appendChild(document.createElement("br"));
        dates.appendChild(free);
      }
      label.appendChild(input);
      var text = document.createElement("span");
      text.className = "option-text";
      text.appendChild(name);
      text.appendChild(dates);
      label.appendChild(text);
      label.appendChild(price);
      return label;
    }

    function render(options, selected) {
      list.textContent = "";
      options.forEach(function (o) { list.appendChild(option(o, o.code === selected)); });
      hint.hidden = options.length > 0;
    }

    function clear(message) {
      list.textContent = "";
      hint.hidden = Boolean(message);
      undeliverable.textContent = message || "";
    }

    /* force: the method changed (the address did not), so ask even though the address is the same. */
    function refresh(force) {
      var a = checkout.address();
      if (!complete(a)) { clear(""); return Promise.resolve(null); }
      var key = [a.country, a.state, a.zip].join("|").toUpperCase();
      if (key === state.key && !force) return Promise.resolve(state.quote);
      state.key = key;
      var request = ++state.request;
      var query = new URLSearchParams({ cart_id: config.cartId, country: a.country, state: a.state, zip: a.zip,
        shipping_method: state.selected });
      return checkout.api("GET", config.shippingOptionsApi + "?" + query.toString()).then(function (result) {
        if (request !== state.request) return null;  /* a newer address is being asked about */
        var data = result.data || {};
        if (result.status === 200) {
          undeliverable.textContent = "";
          state.selected = data.quote.shipping_method;
          render(data.options, state.selected);
          show(data.quote);
          return data.quote;
        }
        var error = (data.errors || [])[0] || {};
        if (error.field === "shipping_method" && state.selected) {  /* not offered here: the cheapest instead */
          state.selected = "";
          return refresh(true);
        }
        if (data.error === "CART_NOT_FOUND") checkout.expire();
        state.key = "";
        clear(error.code === "UNDELIVERABLE_ADDRESS" ? error.message : "");
        return null;
      }, function () { state.key = ""; return null; });
    }

    ["shipping_address.country", "shipping_address.state", "shipping_address.zip"].forEach(function (name) {
      var input = form.elements[name];
      input.addEventListener("input", function () {
        clearTimeout(state.timer);
        state.timer = setTimeout(function () { refresh(false); }, 350);
      });
      input.addEventListener("change", function () { clearTimeout(state.timer); refresh(false); });
    });

    refresh(false);
    return { selected: function () { return state.selected; }, show: show, refresh: refresh };
  }

  window.VantageQuote = { start: start };
})();

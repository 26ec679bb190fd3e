/* Card tokenizer for local and test mode only (rendered with local-payments.js when the checkout and account
   pages are not in Stripe.js mode; production pages load Stripe.js instead and never this file). It checks the card
   fields in the browser and turns Stripe's documented test card numbers into their test PaymentMethod ids,
   so card numbers never reach our server. */
(function () {
  "use strict";
  var TEST_CARDS = {
    "4242424242424242": "pm_card_visa",
    "5555555555554444": "pm_card_mastercard",
    "378282246310005": "pm_card_amex",
    "6011111111111117": "pm_card_discover",
    "4000000000000002": "pm_card_chargeDeclined",
    "4000000000009995": "pm_card_chargeDeclinedInsufficientFunds",
    "4000000000000069": "pm_card_chargeDeclinedExpiredCard",
    "4000002760003184": "pm_card_authenticationRequired",
    "4000000000003220": "pm_card_threeDSecure2Required"
  };
  var BRANDS = { "4": "Visa", "5": "Mastercard", "3": "American Express", "6": "Discover" };

  function luhn(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var d = +digits[digits.length - 1 - i];
      if (i % 2) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }

  /* {number, exp, cvc} → {id, label} or {errors: {"card.number": msg, ...}} */
  function tokenize(card) {
    var errors = {};
    var number = (card.number || "").replace(/[\s-]/g, "");
    var exp = (card.exp || "").replace(/\s/g, "").match(/^(\d{1,2})\/?(\d{2})$/);
    var cvc = (card.cvc || "").trim();
    if (!number) errors["card.number"] = "Enter your card number";
    else if (!/^\d{13,19}$/.test(number) || !luhn(number)) errors["card.number"] = "Card number is not valid";
    else if (!TEST_CARDS[number]) errors["card.number"] = "Use a test card such as 4242 4242 4242 4242 in this environment";
    if (!exp) errors["card.exp"] = "Enter the expiry date as MM / YY";
    else {
      var month = +exp[1], year = 2000 + +exp[2], now = new Date();
      if (month < 1 || month > 12) errors["card.exp"] = "Expiry month must be between 01 and 12";
      else if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1))
        errors["card.exp"] = "This card has expired";
    }
    if (!/^\d{3,4}$/.test(cvc)) errors["card.cvc"] = "Security code is 3 or 4 digits";
    if (Object.keys(errors).length) return { errors: errors };
    return { id: TEST_CARDS[number], label: (BRANDS[number[0]] || "Card") + " •••• " + number.slice(-4) };
  }

  window.VantageCard = { tokenize: tokenize };
})();

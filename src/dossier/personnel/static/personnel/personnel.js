// After a step of a sign-out case is swapped in, keyboard focus goes to what changed:
// the refusal naming the missing documents, or the heading of the next step.
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector("#sign-out-case .refusal[data-focus], #sign-out-case [data-focus]");
  if (target) {
    target.focus();
  }
});

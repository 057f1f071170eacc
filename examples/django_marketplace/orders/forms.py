"""Forms for the server-rendered checkout page."""
from django import forms

from accounts.models import Address


class CheckoutForm(forms.Form):
    shipping_address = forms.ModelChoiceField(queryset=Address.objects.none(), empty_label=None)
    billing_address = forms.ModelChoiceField(queryset=Address.objects.none(), required=False)
    customer_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000)
    accept_terms = forms.BooleanField(required=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        addresses = Address.objects.filter(user=user) if user is not None else Address.objects.none()
        self.fields["shipping_address"].queryset = addresses
        self.fields["billing_address"].queryset = addresses

    def service_kwargs(self) -> dict:
        billing = self.cleaned_data.get("billing_address")
        return {
            "shipping_address_id": self.cleaned_data["shipping_address"].pk,
            "billing_address_id": billing.pk if billing else None,
            "customer_note": self.cleaned_data.get("customer_note", ""),
        }


class OrderCancelForm(forms.Form):
    reason = forms.CharField(max_length=255)

"""Shipping admin forms."""
from django import forms

from .models import Carrier, ShippingRate


class ShippingRateForm(forms.ModelForm):
    class Meta:
        model = ShippingRate
        fields = ("carrier", "destination_country", "max_weight_grams", "price", "currency",
                  "estimated_days_min", "estimated_days_max", "is_active")

    def clean_destination_country(self):
        return self.cleaned_data["destination_country"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("estimated_days_min"), cleaned.get("estimated_days_max")
        if low is not None and high is not None and low > high:
            self.add_error("estimated_days_max", "Must not be lower than the minimum.")
        return cleaned


class AssignCarrierForm(forms.Form):
    carrier = forms.ModelChoiceField(queryset=Carrier.objects.filter(is_active=True))

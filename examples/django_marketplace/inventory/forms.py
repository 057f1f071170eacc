"""Inventory admin forms."""
from django import forms

from .models import StockItem, Warehouse


class StockAdjustmentForm(forms.Form):
    stock_item = forms.ModelChoiceField(queryset=StockItem.objects.select_related("product", "warehouse"))
    new_quantity = forms.IntegerField(min_value=0)
    reason = forms.CharField(max_length=255)

    def clean(self):
        cleaned = super().clean()
        item, quantity = cleaned.get("stock_item"), cleaned.get("new_quantity")
        if item is not None and quantity is not None and quantity < item.reserved:
            raise forms.ValidationError(f"{item.reserved} units are reserved for open orders.")
        return cleaned


class WarehouseForm(forms.ModelForm):
    class Meta:
        model = Warehouse
        fields = ("code", "name", "country_code", "city", "address", "is_active", "priority")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

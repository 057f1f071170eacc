"""Forms for seller back-office pages and the admin."""
from django import forms

from .models import Product


class ProductAdminForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = "__all__"

    def clean_sku(self):
        return self.cleaned_data["sku"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        price, compare_at = cleaned.get("price"), cleaned.get("compare_at_price")
        if price is not None and compare_at is not None and compare_at <= price:
            self.add_error("compare_at_price", "Must be higher than the price to show a discount.")
        return cleaned


class ProductImportForm(forms.Form):
    """CSV upload used by the seller import page."""

    file = forms.FileField(help_text="CSV with columns sku,title,category,price,weight_grams,description")
    publish = forms.BooleanField(required=False, initial=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload a .csv file.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB.")
        return upload

"""Review forms for the server-rendered product page."""
from django import forms

from .models import Review


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ("rating", "title", "body")
        widgets = {
            "rating": forms.RadioSelect(choices=[(value, f"{value} stars") for value in range(5, 0, -1)]),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) < 20:
            raise forms.ValidationError("Please write at least 20 characters.")
        return body

"""Forms used by the server-rendered account pages and the admin."""
from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import Address, Profile, User


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name", "marketing_opt_in")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("bio", "avatar_url", "date_of_birth", "preferred_currency", "locale")
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def clean_preferred_currency(self):
        currency = self.cleaned_data["preferred_currency"].upper()
        if len(currency) != 3:
            raise forms.ValidationError("Use a three letter ISO currency code.")
        return currency


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ("label", "full_name", "line1", "line2", "city", "postal_code", "region", "country_code", "phone_number")

    def clean_country_code(self):
        code = self.cleaned_data["country_code"].strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise forms.ValidationError("Use a two letter country code.")
        return code

    def clean_postal_code(self):
        return " ".join(self.cleaned_data["postal_code"].split()).upper()

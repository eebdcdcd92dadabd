// Checkout page: the publishable key is public by design (https://docs.stripe.com/keys).
const stripe = Stripe('pk_live_51AQLzbAonm0cZte4I7MFRHqRXBj6VCBSlQrYoAgxnB1p2LSJPk0koBDAimCmvw77nd3E7PvURnYK16WcSkvjpOyXaiwnSNrMoX');
const elements = stripe.elements();

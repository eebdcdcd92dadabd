const apiKey = process.env.API_KEY;
const secret = process.env.JWT_SECRET ?? '';
const headers = { Authorization: `Bearer ${token}`, 'X-Api-Key': apiKey };
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-06-20' });
const password = form.get('password');
const accessToken = await getAccessToken({ scopes: ['read'] });

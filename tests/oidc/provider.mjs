// A real OpenID Connect provider (panva/node-oidc-provider, OpenID Certified) for the SSO tests: one client, the
// park's directory as a JSON map of accounts (OIDC_ACCOUNTS: {"<sub>": {email, name, groups}}), and the library's
// own development sign-in form (any password), with consent granted, as a park's provider would for its own apps.
import Provider from "oidc-provider";

const [port, redirectUri] = [Number(process.argv[2]), process.argv[3]];
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || "{}");

const provider = new Provider(`http://localhost:${port}`, {
  clients: [{
    client_id: "talentcase",
    client_secret: "talentcase-test-secret",
    redirect_uris: [redirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
  }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  conformIdTokenClaims: false,  // the claims in the ID token itself, as many directories send them
  cookies: { keys: ["talentcase-test-only"] },
  async findAccount(ctx, sub) {
    if (!accounts[sub]) { return undefined; }
    return { accountId: sub, async claims() { return { sub, email_verified: true, ...accounts[sub] }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
});
provider.listen(port, "127.0.0.1", () => { console.log("ready"); });

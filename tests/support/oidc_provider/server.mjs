// A real OpenID provider for Tandem's sign-in tests: panva's oidc-provider, the certified
// implementation, configured for the people a test names. Started by the `openid_provider`
// fixture (tests/support/openid.py); it prints "listening <port>" once it answers.
//
// OIDC_ACCOUNTS: {"<login typed on its sign-in page>": {claims of that person}}
// OIDC_CLIENTS:  [{"client_id", "client_secret", "redirect_uris"}]
// OIDC_PORT:     where it listens, on 127.0.0.1; OIDC_NOW: its instant (ISO 8601)
import Provider from "oidc-provider";

// The provider's clock stands still at the suite's frozen instant (OIDC_NOW), as Tandem's
// does under time-machine: the ID tokens it signs are issued "now" on both sides.
const frozen = Date.parse(process.env.OIDC_NOW);
Date.now = () => frozen;

const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const port = Number(process.env.OIDC_PORT);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: clients.map((client) => ({
    ...client,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
  })),
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  // Google puts `hd` beside the address, Entra ID its tenant (`tid`) and whether the
  // tenant owns the address's domain (`xms_edov`) in the ID token.
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified", "hd", "xms_edov"],
    profile: ["name", "given_name", "family_name", "tid"],
  },
  conformIdTokenClaims: false,
  // Consent is the district's, given once for the whole district, as Workspace and Entra
  // administrators do: people are not asked.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  // Long enough that the browser, on the real clock, never sees the provider's cookies as
  // expired at the frozen one.
  ttl: { Interaction: 366 * 24 * 3600, Session: 366 * 24 * 3600, Grant: 366 * 24 * 3600 },
  // allauth sends a PKCE challenge: the provider insists on it.
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["tandem-tests-only"] },
});
provider.proxy = false;

provider.listen(port, "127.0.0.1", () => console.log(`listening ${port}`));

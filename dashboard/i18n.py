"""Every visible string of the dashboard, in French and English (French first: the first users are
French territorial agencies). Pages ask `tr(key, lang, **values)`; a test checks that every key
has both languages and that every key the pages use exists.
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")

TEXTS: dict[str, dict[str, str]] = {
    # navigation and sidebar
    "nav.overview": {"fr": "Vue du territoire", "en": "Territory overview"},
    "nav.matches": {"fr": "Explorateur de synergies", "en": "Match explorer"},
    "nav.scenarios": {"fr": "Scénarios", "en": "Scenarios"},
    "nav.network": {"fr": "Réseau", "en": "Network"},
    "nav.synergies": {"fr": "Suivi des synergies", "en": "Synergy pipeline"},
    "nav.declare": {"fr": "Déclarer", "en": "Declare"},
    "sidebar.source": {"fr": "Source des données", "en": "Data source"},
    "sidebar.folder": {"fr": "Dossier du jeu de données", "en": "Dataset folder"},
    "sidebar.n_sites": {"fr": "Nombre de sites", "en": "Number of sites"},
    "sidebar.seed": {"fr": "Graine aléatoire", "en": "Random seed"},
    "sidebar.territory": {"fr": "Territoire", "en": "Territory"},
    "sidebar.loading": {"fr": "Chargement des territoires…", "en": "Loading territories…"},
    "sidebar.hidden_empty": {
        "fr": "{n} territoires sans aucun site ne sont pas listés",
        "en": "{n} territories without any site are not listed",
    },
    "source.graph": {"fr": "Base graphe", "en": "Graph store"},
    "source.folder": {"fr": "Dossier (hors ligne)", "en": "Folder (offline)"},
    "source.synthetic": {"fr": "Synthétique (national)", "en": "Synthetic (national)"},
    "error.source": {
        "fr": "Impossible de lire {source} : {reason}",
        "en": "Cannot read {source}: {reason}",
    },
    "error.no_territory": {
        "fr": "Aucun territoire dans {source} : chargez un jeu de données (symbiosis graph load …).",
        "en": "No territory in {source}: load a dataset first (symbiosis graph load …).",
    },
    "common.all": {"fr": "Tous", "en": "All"},
    # form field errors (dashboard/form_errors.py, dashboard/declare.py)
    "formerr.missing": {"fr": "Champ obligatoire : renseignez-le.", "en": "Required: fill it in."},
    "formerr.number": {
        "fr": "« {value} » : un nombre est attendu, par exemple 12,5 ou 1 200.",
        "en": "“{value}”: a number is expected, e.g. 12.5 or 1200.",
    },
    "formerr.finite": {
        "fr": "« {value} » : un nombre fini est attendu.",
        "en": "“{value}”: a finite number is expected.",
    },
    "formerr.ge": {
        "fr": "« {value} » : doit être supérieur ou égal à {limit}.",
        "en": "“{value}”: must be at least {limit}.",
    },
    "formerr.gt": {
        "fr": "« {value} » : doit être strictement supérieur à {limit}.",
        "en": "“{value}”: must be greater than {limit}.",
    },
    "formerr.le": {
        "fr": "« {value} » : doit être inférieur ou égal à {limit}.",
        "en": "“{value}”: must be at most {limit}.",
    },
    "formerr.per_year_max": {
        "fr": "« {value} » : au plus {limit} {unit}/an une fois converti (limite physique de l'API).",
        "en": "“{value}”: at most {limit} {unit}/yr once converted (the API's physical bound).",
    },
    "formerr.lt": {
        "fr": "« {value} » : doit être strictement inférieur à {limit}.",
        "en": "“{value}”: must be less than {limit}.",
    },
    "formerr.pattern": {
        "fr": "« {value} » : lettres, chiffres et « _ . : - » seulement, en commençant par une lettre ou "
        "un chiffre (128 caractères au plus).",
        "en": "“{value}”: letters, digits and “_ . : -” only, starting with a letter or a digit (at most "
        "128 characters).",
    },
    "formerr.choice": {
        "fr": "« {value} » : choisissez une valeur de la liste.",
        "en": "“{value}”: choose a value from the list.",
    },
    "formerr.unit_unknown": {
        "fr": "« {value} » : unité inconnue ; attendu par exemple t/an, t/jour, m³/h, GWh/an ou MW.",
        "en": "“{value}”: unknown unit; expected e.g. t/yr, t/day, m3/h, GWh/yr or MW.",
    },
    "formerr.unit_dimension": {
        "fr": "« {value} » : ce n'est pas une quantité de {unit} par an "
        "(cette ressource se compte en {unit}).",
        "en": "“{value}”: not a quantity of {unit} per year (this resource is counted in {unit}).",
    },
    "formerr.site": {
        "fr": "« {value} » : choisissez un de vos sites de ce territoire.",
        "en": "“{value}”: choose one of your sites in this territory.",
    },
    "formerr.resource": {
        "fr": "« {value} » : ressource inconnue de la base de connaissances.",
        "en": "“{value}”: a resource the knowledge base does not know.",
    },
    "formerr.id_taken": {
        "fr": "« {value} » : cet identifiant existe déjà ; choisissez-en un autre.",
        "en": "“{value}”: this id exists already; choose another.",
    },
    "formerr.refused": {
        "fr": "« {value} » : valeur refusée ; vérifiez-la.",
        "en": "“{value}”: value refused; check it.",
    },
    # failures (dashboard/failures.py): what happened, what to do; the cause is in the server log
    "failure.store": {
        "fr": "{what} : la base de données ne répond pas. Réessayez dans un instant ; si cela dure, "
        "prévenez l'administrateur (réf. {ref}).",
        "en": "{what}: the database is not answering. Try again in a moment; if it lasts, tell the "
        "administrator (ref. {ref}).",
    },
    "failure.infeasible": {
        "fr": "{what} : aucun plan ne respecte ces contraintes (par exemple un plafond de CO2 plus bas "
        "que ce qu'un plan peut atteindre). Relâchez le plafond ou la distance, puis relancez (réf. {ref}).",
        "en": "{what}: no plan meets these constraints (for instance a CO2 cap below what any plan can "
        "reach). Relax the cap or the distance, then run again (ref. {ref}).",
    },
    "failure.not_optimal": {
        "fr": "{what} : le solveur s'est arrêté avant de trouver un plan. Augmentez le temps limite, "
        "puis relancez (réf. {ref}).",
        "en": "{what}: the solver stopped before finding a plan. Raise the time limit, then run again "
        "(ref. {ref}).",
    },
    "failure.optimizer": {
        "fr": "{what} : l'optimisation n'a pas abouti avec ces données. Vérifiez les déclarations du "
        "territoire ou changez de scénario ; l'administrateur trouvera la cause (réf. {ref}).",
        "en": "{what}: the optimisation did not succeed on these data. Check the territory's "
        "declarations or change the scenario; the administrator will find the cause (ref. {ref}).",
    },
    "failure.invalid": {
        "fr": "{what} : des données saisies ne sont pas valides. Corrigez-les puis recommencez (réf. {ref}).",
        "en": "{what}: some data entered are not valid. Correct them and try again (ref. {ref}).",
    },
    "failure.signed_out": {
        "fr": "{what} : votre session a expiré. Reconnectez-vous (barre latérale) (réf. {ref}).",
        "en": "{what}: your session has expired. Sign in again (sidebar) (ref. {ref}).",
    },
    "failure.forbidden": {
        "fr": "{what} : votre rôle ne permet pas cette action (réf. {ref}).",
        "en": "{what}: your role may not do this (ref. {ref}).",
    },
    "failure.not_found": {
        "fr": "{what} : l'objet demandé n'existe plus ou n'est pas visible pour vous. Rechargez la page "
        "(réf. {ref}).",
        "en": "{what}: the object asked for no longer exists or is not visible to you. Reload the page "
        "(ref. {ref}).",
    },
    "failure.unexpected": {
        "fr": "{what} : une erreur inattendue est survenue ; elle est consignée dans le journal du "
        "serveur. Réessayez, ou prévenez l'administrateur avec la référence {ref}.",
        "en": "{what}: an unexpected error occurred; it is recorded in the server log. Try again, or "
        "tell the administrator with reference {ref}.",
    },
    "failure.sidebar": {"fr": "Barre latérale", "en": "Sidebar"},
    "failure.page": {"fr": "Page « {page} »", "en": "Page “{page}”"},
    "failure.plan": {"fr": "Plan du scénario", "en": "Scenario plan"},
    "failure.pareto": {"fr": "Front de Pareto", "en": "Pareto front"},
    "failure.network_plan": {"fr": "Réseau optimisé", "en": "Optimised network"},
    "failure.map": {"fr": "Carte et indicateurs", "en": "Map and indicators"},
    "scenarios.failed": {"fr": "Optimisation échouée", "en": "Optimisation failed"},
    "table.page": {"fr": "Page (sur {pages})", "en": "Page (of {pages})"},
    "table.rows": {"fr": "{shown} lignes affichées sur {total}", "en": "{shown} rows shown of {total}"},
    # KPIs
    "kpi.sites": {"fr": "Sites", "en": "Sites"},
    "kpi.firms": {"fr": "Entreprises", "en": "Firms"},
    "kpi.declarations": {"fr": "Rejets / besoins", "en": "Outputs / inputs"},
    "kpi.declarations_help": {
        "fr": "Déclarations de ressources sortantes (rejets, coproduits) et entrantes (besoins)",
        "en": "Declared outputs (by-products, waste) and inputs (needs)",
    },
    "kpi.known_exchanges": {"fr": "Échanges existants", "en": "Known exchanges"},
    "kpi.candidates": {"fr": "Synergies possibles", "en": "Candidate exchanges"},
    "kpi.chosen": {"fr": "Échanges retenus", "en": "Chosen exchanges"},
    "kpi.savings": {"fr": "€ économisés / an", "en": "€ saved / yr"},
    "kpi.co2_avoided": {"fr": "t CO2e évitées / an", "en": "t CO2e avoided / yr"},
    "kpi.diverted": {
        "fr": "Tonnes détournées de l'élimination / an",
        "en": "Tonnes diverted from disposal / yr",
    },
    "kpi.virgin_avoided": {"fr": "Matière vierge évitée / an", "en": "Virgin material avoided / yr"},
    # overview
    "overview.title": {"fr": "Vue du territoire — {territory}", "en": "Territory overview — {territory}"},
    "overview.show_candidates": {"fr": "Afficher les synergies possibles", "en": "Show candidate exchanges"},
    "overview.show_plan": {"fr": "Afficher le réseau optimisé", "en": "Show the optimised network"},
    "overview.matching": {"fr": "Recherche des synergies…", "en": "Matching…"},
    "overview.optimising": {"fr": "Optimisation du réseau…", "en": "Optimising the network…"},
    "overview.aggregated": {
        "fr": "{n} sites : la carte agrège les sites en hexagones (au-delà de {limit} sites).",
        "en": "{n} sites: the map aggregates sites into hexagons (above {limit} sites).",
    },
    "overview.legend": {
        "fr": "Points : sites colorés par secteur NACE. Arcs fins : synergies possibles ; "
        "arcs épais : échanges retenus par l'optimisation (couleur = famille de ressource).",
        "en": "Dots: sites coloured by NACE sector. Thin arcs: candidate exchanges; "
        "thick arcs: exchanges chosen by the optimiser (colour = resource family).",
    },
    "overview.sectors": {"fr": "Secteurs", "en": "Sectors"},
    "overview.sites": {"fr": "Sites", "en": "Sites"},
    "overview.company_scope": {
        "fr": "Vos sites et leurs synergies possibles (arcs : seulement entre vos propres sites). "
        "Le réseau optimisé du territoire est réservé aux agences et administrateurs.",
        "en": "Your sites and their candidate exchanges (arcs only between your own sites). "
        "The territory's optimised network is for agencies and admins.",
    },
    # table columns (raw column name → header)
    "col.output_id": {"fr": "Rejet", "en": "Output"},
    "col.input_id": {"fr": "Besoin", "en": "Input"},
    "col.giver_site_id": {"fr": "Site donneur", "en": "Giving site"},
    "col.receiver_site_id": {"fr": "Site receveur", "en": "Receiving site"},
    "col.output_resource": {"fr": "Ressource donnée", "en": "Resource given"},
    "col.input_resource": {"fr": "Ressource remplacée", "en": "Resource replaced"},
    "col.family": {"fr": "Famille", "en": "Family"},
    "col.transport_mode": {"fr": "Transport", "en": "Transport"},
    "col.distance_km": {"fr": "Distance (km)", "en": "Distance (km)"},
    "col.exchangeable_qty_per_yr": {"fr": "Quantité échangeable / an", "en": "Exchangeable qty / yr"},
    "col.unit_out": {"fr": "Unité", "en": "Unit"},
    "col.net_gain_eur_per_yr": {"fr": "Gain net (€/an)", "en": "Net gain (€/yr)"},
    "col.co2_avoided_t_per_yr": {"fr": "CO2e évité (t/an)", "en": "CO2e avoided (t/yr)"},
    "col.site_id": {"fr": "Id site", "en": "Site id"},
    "col.site": {"fr": "Site", "en": "Site"},
    "col.firm_id": {"fr": "Id entreprise", "en": "Firm id"},
    "col.territory_id": {"fr": "Territoire", "en": "Territory"},
    "col.lat": {"fr": "Latitude", "en": "Latitude"},
    "col.lon": {"fr": "Longitude", "en": "Longitude"},
    "col.n_outputs": {"fr": "Rejets", "en": "Outputs"},
    "col.n_inputs": {"fr": "Besoins", "en": "Inputs"},
    "col.link_id": {"fr": "Lien", "en": "Link"},
    "col.qty_per_yr": {"fr": "Quantité envoyée / an", "en": "Qty sent / yr"},
    "col.delivered_per_yr": {"fr": "Quantité livrée / an", "en": "Qty delivered / yr"},
    "col.unit_in": {"fr": "Unité livrée", "en": "Unit delivered"},
    "col.savings_eur_per_yr": {"fr": "€ économisés / an", "en": "€ saved / yr"},
    "col.sector": {"fr": "Section NACE", "en": "NACE section"},
    "col.sector_name": {"fr": "Secteur", "en": "Sector"},
    "col.firm": {"fr": "Entreprise", "en": "Firm"},
    "col.giver": {"fr": "Site donneur", "en": "Giving site"},
    "col.receiver": {"fr": "Site receveur", "en": "Receiving site"},
    "col.resource": {"fr": "Ressource", "en": "Resource"},
    "col.since": {"fr": "Depuis", "en": "Since"},
    "col.match": {"fr": "Synergie", "en": "Match"},
    "col.own_side": {"fr": "Votre rôle", "en": "Your side"},
    "col.own_site_id": {"fr": "Votre site", "en": "Your site"},
    "col.partner": {"fr": "Partenaire", "en": "Partner"},
    "col.disclosed_by": {"fr": "Visibilité", "en": "Disclosure"},
    # matches
    "matches.title": {"fr": "Explorateur de synergies — {territory}", "en": "Match explorer — {territory}"},
    "matches.family": {"fr": "Famille de ressource", "en": "Resource family"},
    "matches.min_gain": {"fr": "Gain minimal (€/an)", "en": "Minimum gain (€/yr)"},
    "matches.max_distance": {"fr": "Distance maximale (km)", "en": "Maximum distance (km)"},
    "matches.max_distance_help": {"fr": "0 = sans limite", "en": "0 = no limit"},
    "matches.site": {"fr": "Site", "en": "Site"},
    "matches.sort": {"fr": "Trier par", "en": "Sort by"},
    "sort.gain": {"fr": "Gain net (€/an)", "en": "Net gain (€/yr)"},
    "sort.co2": {"fr": "CO2e évité (t/an)", "en": "CO2e avoided (t/yr)"},
    "matches.count": {"fr": "Synergies trouvées", "en": "Matches found"},
    "matches.export": {"fr": "Exporter en CSV", "en": "Export as CSV"},
    "matches.explain": {"fr": "Pourquoi cette synergie ?", "en": "Why this match?"},
    "matches.pick": {"fr": "Synergie (rejet -> besoin)", "en": "Match (output -> input)"},
    "matches.promote_hint": {
        "fr": "Ce candidat est présélectionné sur la page Suivi des synergies pour le promouvoir.",
        "en": "This candidate is preselected on the Synergy pipeline page, ready to be promoted.",
    },
    "matches.none": {"fr": "Aucune synergie avec ces filtres.", "en": "No match with these filters."},
    "matches.company_scope": {
        "fr": "Les synergies de vos sites, comme l'API vous les donne : tant que les deux entreprises "
        "n'ont pas consenti, le partenaire est une référence opaque et les chiffres des fourchettes "
        "(sauf déclaration publique du partenaire).",
        "en": "Your sites' matches, as the API gives them to you: until both firms consent, the "
        "partner is an opaque reference and figures are ranges (unless the partner's declaration "
        "is public).",
    },
    "matches.masked": {
        "fr": "{ref} : conditions vérifiées sans leurs valeurs (elles citeraient sa déclaration).",
        "en": "{ref}: conditions checked, without their values (they would quote its declaration).",
    },
    # consents (company accounts, match explorer)
    "consent.title": {"fr": "Consentements", "en": "Consents"},
    "consent.explain": {
        "fr": "Le nom et les chiffres exacts d'un partenaire ne vous sont montrés (et les vôtres à lui) "
        "que lorsque vous avez consenti tous les deux. Vous pouvez retirer votre consentement à tout "
        "moment : les deux redeviennent masqués.",
        "en": "A partner's name and exact figures are shown to you (and yours to it) only once you "
        "have both consented. You can withdraw your consent at any time: both are masked again.",
    },
    "consent.partner": {"fr": "Partenaire", "en": "Partner"},
    "consent.status": {
        "fr": "Consentement avec {partner} : {state}",
        "en": "Consent with {partner}: {state}",
    },
    "consent.give": {"fr": "Consentir à la divulgation", "en": "Consent to disclosure"},
    "consent.withdraw": {"fr": "Retirer mon consentement", "en": "Withdraw my consent"},
    "consent.given": {
        "fr": "Consentement donné à {ref} : {state}.",
        "en": "Consent given to {ref}: {state}.",
    },
    "consent.withdrawn": {
        "fr": "Consentement retiré pour {ref} : {state}.",
        "en": "Consent withdrawn for {ref}: {state}.",
    },
    "consent.refused": {"fr": "Refusé : {reason}", "en": "Refused: {reason}"},
    "consent.none": {
        "fr": "Aucun partenaire à qui consentir dans ce territoire.",
        "en": "No partner to consent to in this territory.",
    },
    "consent_state.none": {"fr": "aucun", "en": "none"},
    "consent_state.given": {
        "fr": "donné, en attente du partenaire",
        "en": "given, waiting for the partner",
    },
    "consent_state.received": {
        "fr": "reçu : le vôtre divulguerait",
        "en": "received: yours would disclose",
    },
    "consent_state.mutual": {"fr": "mutuel : divulgué", "en": "mutual: disclosed"},
    "col.partner_ref": {"fr": "Référence du partenaire", "en": "Partner reference"},
    "col.n_matches": {"fr": "Synergies", "en": "Matches"},
    "col.consent": {"fr": "Consentement", "en": "Consent"},
    # scenarios
    "scenarios.title": {"fr": "Scénarios — {territory}", "en": "Scenarios — {territory}"},
    "scenarios.carbon_price": {"fr": "Prix du carbone (€/t CO2e)", "en": "Carbon price (€/t CO2e)"},
    "scenarios.co2_cap": {"fr": "Plafond de CO2e (t/an)", "en": "CO2e cap (t/yr)"},
    "scenarios.max_distance": {"fr": "Distance maximale (km)", "en": "Maximum distance (km)"},
    "scenarios.time_limit": {"fr": "Temps de calcul maximal (s)", "en": "Time limit (s)"},
    "scenarios.zero_none": {"fr": "0 = sans limite", "en": "0 = no limit"},
    "scenarios.name": {"fr": "Nom du scénario", "en": "Scenario name"},
    "scenarios.name_hint": {"fr": "facultatif, pour comparer", "en": "optional, to compare"},
    "scenarios.run": {"fr": "Optimiser", "en": "Optimise"},
    "scenarios.hint": {
        "fr": "Réglez les paramètres puis lancez l'optimisation.",
        "en": "Set the controls, then run the optimiser.",
    },
    "scenarios.running": {"fr": "Optimisation en cours…", "en": "Optimising…"},
    "scenarios.step_candidates": {"fr": "{n} synergies candidates", "en": "{n} candidate exchanges"},
    "scenarios.finished": {"fr": "Optimisation terminée ({s} s)", "en": "Optimisation finished ({s} s)"},
    "scenarios.job_running": {
        "fr": "Calcul en arrière-plan : {step} ({pct} %), {s} s écoulées",
        "en": "Running in the background: {step} ({pct} %), {s} s elapsed",
    },
    "stage.queued": {"fr": "en attente", "en": "queued"},
    "stage.candidates": {"fr": "sélection des synergies candidates", "en": "selecting the candidates"},
    "stage.optimise": {"fr": "optimisation du réseau", "en": "optimising the network"},
    "stage.done": {"fr": "terminé", "en": "done"},
    "scenarios.job_note": {
        "fr": "Le calcul continue même si vous changez de page.",
        "en": "The run goes on if you switch pages.",
    },
    "scenarios.results": {"fr": "Résultats — {label}", "en": "Results — {label}"},
    "scenarios.other_units": {
        "fr": "Aussi détourné : {diverted} ; aussi évité : {virgin}. {links} échanges, statut {status}, "
        "écart {gap}, {time} s.",
        "en": "Also diverted: {diverted}; also avoided: {virgin}. {links} links, status {status}, "
        "gap {gap}, {time} s.",
    },
    "scenarios.sankey_unit": {"fr": "Unité des flux", "en": "Flow unit"},
    "scenarios.sankey": {"fr": "Flux par famille de ressource", "en": "Flows by resource family"},
    "scenarios.pareto": {"fr": "Front de Pareto coût / CO2", "en": "Cost / CO2 Pareto front"},
    "scenarios.pareto_run": {"fr": "Calculer le front", "en": "Compute the front"},
    "scenarios.axis_co2": {"fr": "Émissions (t CO2e/an)", "en": "Emissions (t CO2e/yr)"},
    "scenarios.axis_cost": {"fr": "Coût (€/an)", "en": "Cost (€/yr)"},
    "scenarios.compare": {"fr": "Comparer deux scénarios", "en": "Compare two scenarios"},
    "scenarios.compare_hint": {
        "fr": "Lancez au moins deux scénarios pour les comparer côte à côte.",
        "en": "Run at least two scenarios to compare them side by side.",
    },
    "scenarios.compare_pick": {"fr": "Scénario {n}", "en": "Scenario {n}"},
    "scenarios.store": {"fr": "Lancer en exécution enregistrée", "en": "Start as a stored run"},
    "scenarios.store_help": {
        "fr": "Calculée par le service des exécutions (comme POST /runs) et conservée dans la base "
        "graphe : ses liens planifiés pourront être promus sur la page Suivi des synergies.",
        "en": "Computed by the runs service (as POST /runs) and kept in the graph store: its planned "
        "links can then be promoted on the Synergy pipeline page.",
    },
    "scenarios.store_needs": {
        "fr": "Pour enregistrer une exécution (dont les liens se promeuvent en synergies), connectez-vous "
        "sur la base graphe avec un compte {roles}.",
        "en": "To store a run (whose links can be promoted to synergies), sign in on the graph store "
        "with an account of role {roles}.",
    },
    "scenarios.stored": {"fr": "Exécutions enregistrées", "en": "Stored runs"},
    "scenarios.stored_item": {"fr": "{id} — {label} : {status}", "en": "{id} — {label}: {status}"},
    "scenarios.stored_started": {"fr": "Exécution {id} lancée.", "en": "Run {id} started."},
    "scenarios.stored_done": {
        "fr": "{links} liens planifiés, proposés à la promotion sur la page Suivi des synergies.",
        "en": "{links} planned links, offered for promotion on the Synergy pipeline page.",
    },
    "scenarios.stored_failed": {"fr": "Échec : {reason}", "en": "Failed: {reason}"},
    "scenarios.stored_cancel": {"fr": "Annuler", "en": "Cancel"},
    "scenarios.stored_refused": {"fr": "Refusé : {reason}", "en": "Refused: {reason}"},
    "runstage.queued": {"fr": "en attente d'un processus libre", "en": "waiting for a free worker"},
    "runstage.started": {"fr": "démarrée", "en": "started"},
    "runstage.reading": {
        "fr": "lecture du territoire {territory} dans la base graphe",
        "en": "reading territory {territory} from the graph store",
    },
    "runstage.matching": {
        "fr": "appariement de {outputs} sortants et {inputs} entrants",
        "en": "matching {outputs} outputs and {inputs} inputs",
    },
    "runstage.optimising": {
        "fr": "optimisation de {links} liens candidats",
        "en": "optimising {links} candidate links",
    },
    "runstage.finished": {"fr": "terminée", "en": "finished"},
    "runstage.cancelled": {"fr": "annulée par {by}", "en": "cancelled by {by}"},
    "runstatus.queued": {"fr": "en attente", "en": "queued"},
    "runstatus.running": {"fr": "en cours", "en": "running"},
    "runstatus.done": {"fr": "terminée", "en": "done"},
    "runstatus.failed": {"fr": "échouée", "en": "failed"},
    "runstatus.cancelled": {"fr": "annulée", "en": "cancelled"},
    # network
    "network.title": {"fr": "Réseau — {territory}", "en": "Network — {territory}"},
    "network.scenario": {
        "fr": "Réseau optimisé du scénario : {label}",
        "en": "Optimised network of scenario: {label}",
    },
    "network.empty": {
        "fr": "Aucun échange retenu dans ce territoire.",
        "en": "No exchange chosen in this territory.",
    },
    "network.keystones": {"fr": "Entreprises clés", "en": "Keystone firms"},
    "network.partners": {"fr": "Partenaires", "en": "Partners"},
    "network.betweenness": {"fr": "Centralité", "en": "Betweenness"},
    "network.dependent": {"fr": "Économies qui en dépendent (€/an)", "en": "Savings depending on it (€/yr)"},
    "network.whatif": {"fr": "Et si cette entreprise partait ?", "en": "What if this firm leaves?"},
    "network.leaving": {"fr": "Entreprise qui part", "en": "Firm leaving"},
    "network.simulate": {"fr": "Simuler le départ", "en": "Simulate the departure"},
    "network.links_lost": {"fr": "Échanges perdus", "en": "Exchanges lost"},
    "network.savings_lost": {"fr": "Économies perdues (€/an)", "en": "Savings lost (€/yr)"},
    "network.savings_after": {"fr": "Économies après ré-optimisation", "en": "Savings after re-optimising"},
    "network.recovered": {"fr": "Récupéré par la ré-optimisation", "en": "Recovered by re-optimising"},
    # synergies
    "synergies.title": {"fr": "Suivi des synergies — {territory}", "en": "Synergy pipeline — {territory}"},
    "synergies.scope": {
        "fr": "Synergies dont un site est dans ce territoire ; le statut avance d'une étape à la fois "
        "(identifiée → contactée → à l'étude → réalisée) ou passe à abandonnée.",
        "en": "Synergies with a site in this territory; the status moves one step at a time "
        "(identified → contacted → under study → implemented) or to abandoned.",
    },
    "synergies.none": {"fr": "Aucune synergie suivie pour l'instant.", "en": "No synergy tracked yet."},
    "synergies.count": {"fr": "{status} ({n})", "en": "{status} ({n})"},
    "synergies.item": {
        "fr": "{giver} → {receiver} : {resource} — {status} · {value} €/an",
        "en": "{giver} → {receiver}: {resource} — {status} · {value} €/yr",
    },
    "synergies.card": {
        "fr": "Porteur : {owner} · créée le {created} · mise à jour le {updated} · origine : {source} "
        "· réf. {id}",
        "en": "Owner: {owner} · created {created} · updated {updated} · from: {source} · ref. {id}",
    },
    "synergies.source_candidate": {"fr": "explorateur de synergies", "en": "match explorer"},
    "synergies.source_run": {"fr": "exécution {id}", "en": "run {id}"},
    "synergies.duplicate": {
        "fr": "Cette synergie candidate est déjà suivie ; faites avancer la fiche existante, ou "
        "abandonnez-la d'abord.",
        "en": "This candidate is already tracked; move the existing card on, or abandon it first.",
    },
    "synergies.history": {"fr": "Historique", "en": "History"},
    "synergies.next": {"fr": "Nouveau statut", "en": "New status"},
    "synergies.note": {"fr": "Note", "en": "Note"},
    "synergies.move": {"fr": "Faire avancer", "en": "Move on"},
    "synergies.moved": {"fr": "Synergie {id} : {status}.", "en": "Synergy {id}: {status}."},
    "synergies.final": {"fr": "Statut final : plus de changement.", "en": "Final status: no further change."},
    "synergies.promote": {
        "fr": "Promouvoir un candidat en synergie",
        "en": "Promote a candidate to a synergy",
    },
    "synergies.candidate": {"fr": "Candidat (sortant → entrant)", "en": "Candidate (output → input)"},
    # pooled collection and purchasing (dashboard/views/pools.py, dashboard/pools.py)
    "nav.pools": {"fr": "Mutualisations", "en": "Pooled contracts"},
    "pools.title": {
        "fr": "Collectes et achats mutualisés — {territory}",
        "en": "Pooled collection and purchasing — {territory}",
    },
    "pools.intro": {
        "fr": "Des entreprises proches qui font enlever le même déchet ou achètent la même matière signent "
        "un seul contrat : une tournée de camion au lieu de plusieurs, et un meilleur prix au volume. "
        "Chaque membre paie sa part équitable (valeur de Shapley), comparée au partage au prorata "
        "des volumes.",
        "en": "Nearby firms that have the same waste collected or buy the same material sign one contract: "
        "one truck tour instead of several, and a better volume price. Each member pays its fair share "
        "(Shapley value), shown beside a split pro rata of volumes.",
    },
    "pools.carbon_price": {"fr": "Prix du carbone (€/t CO2e)", "en": "Carbon price (€/t CO2e)"},
    "pools.computing": {
        "fr": "Calcul des tournées et des partages…",
        "en": "Routing tours and splitting costs…",
    },
    "pools.none": {
        "fr": "Aucune mutualisation proposée ici : il faut au moins deux sites déclarant le même flux à "
        "portée l'un de l'autre, et un site de traitement ou d'approvisionnement à portée.",
        "en": "No pool proposed here: it takes two sites declaring the same stream within reach of each "
        "other, and a treatment or supply site within reach.",
    },
    "pools.company_scope": {
        "fr": "Les mutualisations auxquelles vos sites participent : votre part exacte ; les autres membres "
        "restent masqués (fourchettes) tant que vous n'avez pas consenti mutuellement.",
        "en": "The pools your sites take part in: your own share exactly; other members stay masked "
        "(ranges) until both firms have consented.",
    },
    "pools.n": {"fr": "Mutualisations proposées", "en": "Pools proposed"},
    "pools.total_saving": {"fr": "Économie totale (€/an)", "en": "Total saving (€/yr)"},
    "pools.total_km": {"fr": "Km de camion évités (km/an)", "en": "Truck-km saved (km/yr)"},
    "pools.total_co2": {"fr": "CO2e évité (t/an)", "en": "CO2e avoided (t/yr)"},
    "pools.pick": {"fr": "Mutualisation", "en": "Pool"},
    "pools.label": {
        "fr": "{resource} — {side}, {n} membres → {hub}, économie {value} €/an",
        "en": "{resource} — {side}, {n} members → {hub}, saving {value} €/yr",
    },
    "pools.hidden_hub": {"fr": "site masqué", "en": "masked site"},
    "pools.side.collection": {"fr": "collecte", "en": "collection"},
    "pools.side.purchase": {"fr": "achat groupé", "en": "joint purchase"},
    "pools.tour": {
        "fr": "Tournée : {km} km par passage, {k} passages par mois",
        "en": "Tour: {km} km per call, {k} calls a month",
    },
    "pools.route": {"fr": "Tournée {k} : {n} arrêts", "en": "Route {k}: {n} stops"},
    "pools.hub": {"fr": "Site de traitement ou d'approvisionnement", "en": "Treatment or supply site"},
    "pools.stop": {"fr": "Membre", "en": "Member"},
    "pools.split": {"fr": "Qui paie quoi (€/an)", "en": "Who pays what (€/yr)"},
    "pools.core_ok": {
        "fr": "Partage stable : aucun sous-groupe de membres ne paierait moins en contractant seul "
        "(cœur vérifié).",
        "en": "Stable split: no sub-group of members would pay less contracting alone (core checked).",
    },
    "pools.core_bad": {
        "fr": "{n} sous-groupe(s) paieraient moins seuls : ce partage n'est pas dans le cœur.",
        "en": "{n} sub-group(s) would pay less alone: this split is not in the core.",
    },
    "pools.pro_rata_bad": {
        "fr": "Le partage au prorata, lui, laisserait {n} sous-groupe(s) payer plus que seuls.",
        "en": "The pro-rata split would leave {n} sub-group(s) paying more than alone.",
    },
    "pools.sampled": {
        "fr": "Grande mutualisation : parts estimées par échantillonnage (± erreur indiquée), "
        "cœur non vérifié.",
        "en": "Large pool: shares estimated by sampling (± stated error), core not checked.",
    },
    "pools.partners": {"fr": "Les autres membres", "en": "The other members"},
    "pools.partner": {"fr": "Partenaire {letter}", "en": "Partner {letter}"},
    "pools.tour_hidden": {
        "fr": "La carte de la tournée apparaît quand tous les membres et le site de traitement "
        "sont dévoilés.",
        "en": "The tour map appears once every member and the treatment site are disclosed.",
    },
    "pools.promote": {
        "fr": "Suivre cette mutualisation comme synergie",
        "en": "Track this pool as a synergy",
    },
    "pools.duplicate": {
        "fr": "Cette mutualisation est déjà suivie ; faites avancer la fiche existante, "
        "ou abandonnez-la d'abord.",
        "en": "This pool is already tracked; move the existing card on, or abandon it first.",
    },
    "pools.col.resource": {"fr": "Flux", "en": "Stream"},
    "pools.col.side": {"fr": "Type", "en": "Kind"},
    "pools.col.hub": {"fr": "Site de traitement / fournisseur", "en": "Treatment / supply site"},
    "pools.col.members": {"fr": "Membres", "en": "Members"},
    "pools.col.today": {"fr": "Contrats séparés (€/an)", "en": "Separate contracts (€/yr)"},
    "pools.col.pooled": {"fr": "Contrat mutualisé (€/an)", "en": "Pooled contract (€/yr)"},
    "pools.col.saving": {"fr": "Économie (€/an)", "en": "Saving (€/yr)"},
    "pools.col.km_saved": {"fr": "Km camion évités (km/an)", "en": "Truck-km saved (km/yr)"},
    "pools.col.co2_saved": {"fr": "CO2e évité (t/an)", "en": "CO2e avoided (t/yr)"},
    "pools.col.member": {"fr": "Membre", "en": "Member"},
    "pools.col.firm": {"fr": "Entreprise", "en": "Firm"},
    "pools.col.volume": {"fr": "Volume (t/an)", "en": "Volume (t/yr)"},
    "pools.col.shapley": {"fr": "Part équitable — Shapley (€/an)", "en": "Fair share — Shapley (€/yr)"},
    "pools.col.pro_rata": {"fr": "Au prorata des volumes (€/an)", "en": "Pro rata of volumes (€/yr)"},
    "pools.col.member_saving": {"fr": "Économie du membre (€/an)", "en": "Member's saving (€/yr)"},
    "pools.col.own_today": {"fr": "Votre contrat actuel (€/an)", "en": "Your contract today (€/yr)"},
    "pools.col.own_share": {"fr": "Votre part équitable (€/an)", "en": "Your fair share (€/yr)"},
    "pools.col.own_pro_rata": {"fr": "Votre part au prorata (€/an)", "en": "Your pro-rata share (€/yr)"},
    "pools.col.own_saving": {"fr": "Votre économie (€/an)", "en": "Your saving (€/yr)"},
    "pools.col.saving_range": {
        "fr": "Économie du groupe (€/an, fourchette)",
        "en": "Group saving (€/yr, range)",
    },
    "pools.col.shown": {"fr": "Visibilité", "en": "Visibility"},
    "synergies.pool_item": {
        "fr": "Mutualisation {resource} ({n} membres) → {hub} — {status} · {value} €/an",
        "en": "Pool {resource} ({n} members) → {hub} — {status} · {value} €/yr",
    },
    "synergies.source_pool": {"fr": "mutualisations", "en": "pooled contracts"},
    "condition.resource": {"fr": "ressource acceptée", "en": "resource accepted"},
    "condition.timing": {"fr": "mois en commun", "en": "months in common"},
    "condition.distance": {"fr": "distance", "en": "distance"},
    "condition.transport": {"fr": "mode de transport", "en": "transport mode"},
    "condition.lot": {"fr": "lot minimal", "en": "minimum lot"},
    "condition.temperature": {"fr": "température", "en": "temperature"},
    "condition.purity": {"fr": "pureté", "en": "purity"},
    "condition.moisture": {"fr": "humidité", "en": "moisture"},
    "condition.contaminant": {"fr": "contaminant", "en": "contaminant"},
    "synergies.candidate_label": {
        "fr": "{resource} : {giver} → {receiver}, {gain} €/an",
        "en": "{resource}: {giver} → {receiver}, {gain} €/yr",
    },
    "synergies.link_label": {
        "fr": "{giver} → {receiver}, {qty} {unit}/an",
        "en": "{giver} → {receiver}, {qty} {unit}/yr",
    },
    "synergies.from_explorer": {
        "fr": "Présélectionné : le candidat choisi dans l'explorateur de synergies.",
        "en": "Preselected: the candidate chosen in the match explorer.",
    },
    "synergies.promote_button": {"fr": "Créer la synergie", "en": "Create the synergy"},
    "synergies.created": {
        "fr": "Synergie {id} créée (identifiée).",
        "en": "Synergy {id} created (identified).",
    },
    "synergies.no_candidate": {
        "fr": "Aucun candidat visible pour vous dans ce territoire.",
        "en": "No candidate you may see in this territory.",
    },
    "synergies.out_of_scope": {
        "fr": "Ce territoire est hors de votre périmètre : choisissez un territoire que vous animez.",
        "en": "This territory is outside your scope: choose a territory you facilitate.",
    },
    "synergies.refused": {"fr": "Refusé : {reason}", "en": "Refused: {reason}"},
    "synergies.promote_run": {
        "fr": "Promouvoir un lien planifié d'une optimisation",
        "en": "Promote a planned link of an optimisation run",
    },
    "synergies.no_run": {
        "fr": "Aucune optimisation terminée visible pour vous dans ce territoire (lancez-en une : "
        "page Scénarios, « Lancer en exécution enregistrée », ou POST /runs).",
        "en": "No finished optimisation run you may see in this territory (start one: Scenarios "
        "page, 'Start as a stored run', or POST /runs).",
    },
    "synergies.run": {"fr": "Optimisation terminée", "en": "Finished optimisation run"},
    "synergies.run_empty": {
        "fr": "Le plan de cette optimisation ne retient aucun lien.",
        "en": "This run's plan chose no link.",
    },
    "synergies.planned_link": {"fr": "Lien planifié", "en": "Planned link"},
    "status.identified": {"fr": "Identifiée", "en": "Identified"},
    "status.contacted": {"fr": "Contactée", "en": "Contacted"},
    "status.under_study": {"fr": "À l'étude", "en": "Under study"},
    "status.signed": {"fr": "Signée", "en": "Signed"},
    "status.implemented": {"fr": "Réalisée", "en": "Implemented"},
    "status.abandoned": {"fr": "Abandonnée", "en": "Abandoned"},
    "col.at": {"fr": "Quand", "en": "When"},
    "col.by": {"fr": "Par", "en": "By"},
    "col.from": {"fr": "De", "en": "From"},
    "col.to": {"fr": "Vers", "en": "To"},
    "col.note": {"fr": "Note", "en": "Note"},
    "col.date": {"fr": "Date de l'événement", "en": "Date of the event"},
    # sign-in
    "auth.email": {"fr": "E-mail", "en": "E-mail"},
    "auth.password": {"fr": "Mot de passe", "en": "Password"},
    "auth.sign_in": {"fr": "Se connecter", "en": "Sign in"},
    "auth.sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "auth.signed_in": {"fr": "Connecté : {email} ({role})", "en": "Signed in: {email} ({role})"},
    "auth.wrong": {"fr": "E-mail ou mot de passe incorrect.", "en": "Wrong e-mail or password."},
    "auth.unavailable": {"fr": "Connexion impossible : {reason}", "en": "Cannot sign in: {reason}"},
    "auth.local_files": {
        "fr": "Mode fichiers locaux : les données viennent d'un dossier ouvert par l'opérateur du "
        "serveur ; pas de comptes, donc pas de connexion.",
        "en": "Local-files mode: the data come from a folder the server's operator opened; no "
        "accounts, so no sign-in.",
    },
    "auth.needs_graph": {
        "fr": "Cette page lit et écrit la base de graphe : choisissez cette source dans la barre latérale.",
        "en": "This page reads and writes the graph store: choose that source in the sidebar.",
    },
    "auth.needs_sign_in": {
        "fr": "Connectez-vous (barre latérale) avec un compte {roles} pour utiliser cette page.",
        "en": "Sign in (sidebar) with a {roles} account to use this page.",
    },
    "auth.wrong_role": {
        "fr": "Votre rôle ({role}) ne permet pas cette page (rôles : {roles}).",
        "en": "Your role ({role}) may not use this page (roles: {roles}).",
    },
    "role.admin": {"fr": "administrateur", "en": "admin"},
    "role.agency": {"fr": "agence territoriale", "en": "territorial agency"},
    "role.company": {"fr": "entreprise", "en": "company"},
    "role.analyst": {"fr": "analyste", "en": "analyst"},
    "auth.required": {
        "fr": "Connectez-vous (barre latérale) pour consulter le tableau de bord.",
        "en": "Sign in (sidebar) to use the dashboard.",
    },
    "scope.outside": {
        "fr": "{territory} est hors de votre périmètre : rien à afficher. "
        "Choisissez un territoire que vous animez.",
        "en": "{territory} is outside your scope: nothing to show. Choose a territory you facilitate.",
    },
    "scope.aggregates": {
        "fr": "Un compte analyste voit les agrégats publiés du territoire, comme dans l'API : "
        "totaux par ressource lorsqu'au moins {min_firms} entreprises y contribuent, déclarations "
        "privées exclues. Aucune entreprise, aucun site ni aucune déclaration un à un.",
        "en": "An analyst account sees the territory's published aggregates, as in the API: totals "
        "per resource where at least {min_firms} firms contribute, private declarations left out. "
        "No firm, site or declaration one by one.",
    },
    "scope.aggregates_potential": {
        "fr": "Potentiel (somme des candidats viables, borne haute) : {eur} €/an, {co2} t CO2e/an",
        "en": "Potential (sum over viable candidates, an upper bound): {eur} €/yr, {co2} t CO2e/yr",
    },
    "col.kind": {"fr": "Sens", "en": "Kind"},
    "col.resource_code": {"fr": "Ressource", "en": "Resource"},
    "col.unit": {"fr": "Unité", "en": "Unit"},
    "col.firms": {"fr": "Entreprises", "en": "Firms"},
    "col.quantity_per_yr": {"fr": "Quantité / an", "en": "Quantity / yr"},
    "scope.suppressed": {"fr": "masqué (moins de 3 entreprises)", "en": "suppressed (fewer than 3 firms)"},
    "col.suppressed": {"fr": "Masqué (< seuil)", "en": "Suppressed (< threshold)"},
    "scope.no_company_view": {
        "fr": "Cette page montre le réseau optimisé de tout le territoire : elle n'est pas ouverte "
        "aux comptes {role}. Vos synergies sont dans l'explorateur.",
        "en": "This page shows the whole territory's optimised network: it is not open to {role} "
        "accounts. Your matches are in the match explorer.",
    },
    "synergies.known": {"fr": "Échanges en fonctionnement", "en": "Operating exchanges"},
    "synergies.n_operating": {"fr": "Échanges en fonctionnement", "en": "Operating exchanges"},
    # declare
    "declare.title": {"fr": "Déclarer une ressource", "en": "Declare a resource"},
    "declare.kind": {"fr": "Type de déclaration", "en": "Declaration type"},
    "declare.output": {"fr": "Rejet / coproduit (sortant)", "en": "Output (by-product, waste)"},
    "declare.input": {"fr": "Besoin (entrant)", "en": "Input (need)"},
    "declare.id": {"fr": "Identifiant de la déclaration", "en": "Declaration id"},
    "declare.site": {"fr": "Site", "en": "Site"},
    "declare.resource": {"fr": "Ressource", "en": "Resource"},
    "declare.quantity": {"fr": "Quantité", "en": "Quantity"},
    "declare.unit": {"fr": "Unité de la quantité", "en": "Quantity unit"},
    "declare.temperature_c": {"fr": "Température (°C)", "en": "Temperature (°C)"},
    "declare.purity_pct": {"fr": "Pureté (%)", "en": "Purity (%)"},
    "declare.moisture_pct": {"fr": "Humidité (%)", "en": "Moisture (%)"},
    "declare.min_temperature_c": {"fr": "Température minimale (°C)", "en": "Minimum temperature (°C)"},
    "declare.max_temperature_c": {"fr": "Température maximale (°C)", "en": "Maximum temperature (°C)"},
    "declare.min_purity_pct": {"fr": "Pureté minimale (%)", "en": "Minimum purity (%)"},
    "declare.max_moisture_pct": {"fr": "Humidité maximale (%)", "en": "Maximum moisture (%)"},
    "declare.disposal_cost_eur_per_unit": {
        "fr": "Coût d'élimination actuel (€/unité)",
        "en": "Current disposal cost (€/unit)",
    },
    "declare.supply_price_eur_per_unit": {
        "fr": "Prix d'achat actuel (€/unité)",
        "en": "Current purchase price (€/unit)",
    },
    "declare.confidentiality": {"fr": "Confidentialité", "en": "Confidentiality"},
    "confidentiality.public": {"fr": "Publique", "en": "Public"},
    "confidentiality.agency": {"fr": "Agence du territoire", "en": "Territorial agency"},
    "confidentiality.private": {"fr": "Privée", "en": "Private"},
    "declare.submit": {"fr": "Valider la déclaration", "en": "Submit the declaration"},
    "declare.errors": {"fr": "{n} champ(s) à corriger.", "en": "{n} field(s) to fix."},
    "declare.saved": {
        "fr": "Déclaration {id} enregistrée ({qty} par an).",
        "en": "Declaration {id} saved ({qty} per year).",
    },
    "declare.id_help": {
        "fr": "Vide : attribué par le service (les comptes entreprise ne choisissent pas d'identifiant).",
        "en": "Blank: assigned by the service (company accounts never choose ids).",
    },
    "declare.no_site": {
        "fr": "Aucun site à votre nom dans ce territoire.",
        "en": "None of your sites lies in this territory.",
    },
    "declare.unit_hint": {"fr": "t/an, t/jour, m³/h, GWh/an, MW", "en": "t/yr, t/day, m3/h, GWh/yr, MW"},
    "declare.valid_only": {
        "fr": "Déclaration {id} valide ({qty} par an) ; source hors ligne : rien n'est enregistré.",
        "en": "Declaration {id} is valid ({qty} per year); offline source: nothing is saved.",
    },
    # resource families
    "unit.per_year": {"fr": "/an", "en": "/yr"},
    "scenarios.pareto_front": {
        "fr": "Front de Pareto (plan le moins cher sous chaque plafond de CO2)",
        "en": "Pareto front (cheapest plan under each CO2 cap)",
    },
    "scenarios.pareto_current": {"fr": "Plan actuel ({label})", "en": "Current plan ({label})"},
    "scenarios.pareto_export": {"fr": "Exporter le front (CSV)", "en": "Export the front (CSV)"},
    "pareto_status.current": {"fr": "plan actuel", "en": "current plan"},
    "col.cost_eur_per_yr": {"fr": "Coût (€/an)", "en": "Cost (€/yr)"},
    "col.co2_t_per_yr": {"fr": "CO2e émis (t/an)", "en": "CO2e emitted (t/yr)"},
    "col.co2_cap_t": {"fr": "Plafond de CO2e (t/an)", "en": "CO2e cap (t/yr)"},
    "col.status": {"fr": "Statut du solveur", "en": "Solver status"},
    "col.current_plan": {"fr": "Plan actuel", "en": "Current plan"},
    "overview.tip": {
        "fr": "{n_out} rejet(s) déclaré(s), {n_in} besoin(s)",
        "en": "{n_out} output(s) declared, {n_in} input(s)",
    },
    "overview.map_source": {
        "fr": "Fond de carte : frontières Natural Earth 1:110m (domaine public), fournies avec le logiciel.",
        "en": "Base map: Natural Earth 1:110m borders (public domain), shipped with the software.",
    },
    "transport.truck": {"fr": "Camion", "en": "Truck"},
    "transport.pipeline": {"fr": "Canalisation", "en": "Pipeline"},
    "partner.label": {
        "fr": "Partenaire {letter} — {what}, {lo}–{hi} km",
        "en": "Partner {letter} — {what}, {lo}–{hi} km",
    },
    "side.giver": {"fr": "Donneur", "en": "Giver"},
    "side.receiver": {"fr": "Receveur", "en": "Receiver"},
    "disclosed.own_firm": {"fr": "Vos propres sites", "en": "Your own sites"},
    "disclosed.public": {"fr": "Déclaration publique", "en": "Public declaration"},
    "disclosed.consent": {"fr": "Consentement mutuel", "en": "Mutual consent"},
    "disclosed.none": {"fr": "Masqué (fourchettes)", "en": "Masked (ranges)"},
    "family.steam": {"fr": "Vapeur", "en": "Steam"},
    "family.heat": {"fr": "Chaleur", "en": "Heat"},
    "family.water": {"fr": "Eau", "en": "Water"},
    "family.gas": {"fr": "Gaz", "en": "Gas"},
    "family.co2": {"fr": "CO2", "en": "CO2"},
    "family.mineral": {"fr": "Minéraux", "en": "Minerals"},
    "family.chemical": {"fr": "Chimie", "en": "Chemicals"},
    "family.organic": {"fr": "Organique", "en": "Organic"},
    "family.material": {"fr": "Matériaux", "en": "Materials"},
}

# --- water page (issue 17): its strings are kept in dashboard/water_i18n.py ---
from dashboard.water_i18n import WATER_TEXTS  # noqa: E402

TEXTS.update(WATER_TEXTS)
# --- end water page ---
# -- sharing (issue 19): the mutualisation page, dashboard/views/sharing.py --
TEXTS.update({
    "nav.sharing": {"fr": "Mutualisation", "en": "Sharing"},
    "sharing.title": {"fr": "Mutualisation — espaces, équipements, services, compétences",
                      "en": "Sharing — spaces, equipment, services, skills"},
    "sharing.none": {"fr": "Aucun jeu de données avec des offres de mutualisation.",
                     "en": "No dataset with sharing offers."},
    "sharing.empty": {"fr": "Aucune offre de mutualisation déclarée dans {territory}.",
                      "en": "No sharing offer declared in {territory}."},
    "sharing.dataset": {"fr": "Territoire (jeu de données)", "en": "Territory (dataset)"},
    "sharing.year": {"fr": "Année", "en": "Year"},
    "sharing.carbon": {"fr": "Prix du carbone (€/t CO2e)", "en": "Carbon price (€/t CO2e)"},
    "sharing.served": {"fr": "Besoins servis", "en": "Needs served"},
    "sharing.cost": {"fr": "Coût évité / an", "en": "Cost avoided / yr"},
    "sharing.co2": {"fr": "CO2e évité / an", "en": "CO2e avoided / yr"},
    "sharing.occupancy": {"fr": "Occupation moyenne", "en": "Mean occupancy"},
    "sharing.pairs": {"fr": "Appariements retenus", "en": "Allocated pairs"},
    "sharing.near": {"fr": "Presque-appariements", "en": "Near-misses"},
    "sharing.need": {"fr": "Besoin", "en": "Need"},
    "sharing.offer": {"fr": "Offre", "en": "Offer"},
    "sharing.eur": {"fr": "€ / an", "en": "€ / yr"},
    "sharing.why": {"fr": "Explication", "en": "Explanation"},
    "sharing.heatmap": {"fr": "Occupation semaine × heure, avant → après",
                        "en": "Week × hour occupancy, before → after"},
    "sharing.asset": {"fr": "Actif", "en": "Asset"},
    "sharing.free": {"fr": "libre", "en": "free"},
    "sharing.owner": {"fr": "usage du propriétaire", "en": "owner's use"},
    "sharing.shared": {"fr": "mutualisé", "en": "shared"},
    "sharing.hours": {
        "fr": "Occupé {before} h sur 168 ({share_before}) avant, {after} h ({share_after}) après.",
        "en": "In use {before} of 168 h ({share_before}) before, {after} h ({share_after}) after.",
    },
})  # fmt: skip

# -- sharing (issue 19): map, booking calendar and declare form, dashboard/views/sharing_book.py --
TEXTS.update({
    "nav.sharing_book": {"fr": "Offres et réservations", "en": "Offers and bookings"},
    "shbook.title": {"fr": "Mutualisation — carte, réservations, déclaration",
                     "en": "Sharing — map, bookings, declaration"},
    "shbook.graph_only": {"fr": "Cette page lit et écrit la base de graphe : choisissez-la comme source.",
                          "en": "This page reads and writes the graph store: choose it as the source."},
    "shbook.map": {"fr": "Carte des offres et des besoins", "en": "Map of offers and needs"},
    "shbook.offer": {"fr": "Offre", "en": "Offer"},
    "shbook.need": {"fr": "Besoin", "en": "Need"},
    "shbook.what": {"fr": "Offre ou besoin — site (entreprise), capacité",
                    "en": "Offer or need — site (firm), capacity"},
    "shbook.none": {"fr": "Aucune offre ni aucun besoin visible dans {territory}.",
                    "en": "No offer or need you may see in {territory}."},
    "shbook.calendar": {"fr": "Réservations de la semaine", "en": "Bookings of the week"},
    "shbook.week": {"fr": "Semaine du", "en": "Week of"},
    "shbook.booked_hours": {"fr": "{n} heures réservées la semaine du {week}.",
                            "en": "{n} hours booked in the week of {week}."},
    "shbook.no_bookings": {"fr": "Aucune réservation la semaine du {week}.",
                           "en": "No booking in the week of {week}."},
    "shbook.declare": {"fr": "Déclarer une offre ou un besoin", "en": "Declare an offer or a need"},
    "shbook.kind": {"fr": "Nature", "en": "Kind"},
    "shbook.f.id": {"fr": "Identifiant", "en": "Identifier"},
    "shbook.f.site_id": {"fr": "Site", "en": "Site"},
    "shbook.f.category": {"fr": "Catégorie", "en": "Category"},
    "shbook.f.capacity": {"fr": "Capacité", "en": "Capacity"},
    "shbook.f.slots": {"fr": "Créneaux hebdomadaires", "en": "Weekly hours"},
    "shbook.f.months": {"fr": "Mois (vide : toute l'année)", "en": "Months (empty: all year)"},
    "shbook.f.name": {"fr": "Nom de l'offre", "en": "Offer name"},
    "shbook.f.confidentiality": {"fr": "Confidentialité", "en": "Confidentiality"},
    "shbook.f.price": {"fr": "Prix ou budget (€ par unité et par heure)",
                       "en": "Price or budget (€ per unit and hour)"},
    "shbook.f.price_eur_per_unit_h": {"fr": "Prix (€ par unité et par heure)",
                                      "en": "Price (€ per unit and hour)"},
    "shbook.f.budget_eur_per_unit_h": {"fr": "Budget (€ par unité et par heure)",
                                       "en": "Budget (€ per unit and hour)"},
    "shbook.f.max_distance_km": {"fr": "Distance maximale (km)", "en": "Maximum distance (km)"},
    "shbook.submit": {"fr": "Déclarer", "en": "Declare"},
    "shbook.errors": {"fr": "{n} problème(s) : rien n'a été enregistré.",
                      "en": "{n} problem(s): nothing was saved."},
    "shbook.error": {"fr": "« {field} » : « {value} » refusé — attendu : {expected}.",
                     "en": "“{field}”: “{value}” refused — expected: {expected}."},
    "shbook.x.capacity": {"fr": "un nombre strictement positif", "en": "a number above 0"},
    "shbook.x.slots": {"fr": "des créneaux 0–167 ou « lun-ven 18:00-22:00 »",
                       "en": "hour slots 0–167 or “lun-ven 18:00-22:00”"},
    "shbook.x.id": {"fr": "un identifiant non vide (lettres, chiffres, _ . : -)",
                    "en": "a non-empty identifier (letters, digits, _ . : -)"},
    "shbook.x.id_free": {"fr": "un identifiant qui n'est pas déjà utilisé", "en": "an identifier not in use"},
    "shbook.x.site": {"fr": "un de vos sites", "en": "one of your sites"},
    "shbook.made": {"fr": "{what} « {name} » déclaré(e) sur {site} : {slots}.",
                    "en": "{what} “{name}” declared at {site}: {slots}."},
})  # fmt: skip


def tr(key: str, lang: str, **values: object) -> str:
    """The string for ``key`` in ``lang``, with ``{placeholders}`` filled; a missing key raises."""
    text = TEXTS[key].get(lang) or TEXTS[key]["en"]
    return text.format(**values) if values else text


def localised(columns: list[str], lang: str) -> dict[str, str]:
    """Headers for a frame's raw column names (those without a ``col.*`` entry stay as they are)."""
    return {c: tr(f"col.{c}", lang) for c in columns if f"col.{c}" in TEXTS}

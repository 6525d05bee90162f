"""Word lists for titles, notes and summaries in the demo data."""
from __future__ import annotations

ISSUE_TITLES = {
    "employment": ("Local hiring quota not respected at {site}", "Casual workers from {town} dismissed without notice",
                   "Young people of {town} excluded from contractor jobs", "Unpaid wages of subcontracted drivers"),
    "land": ("Boundary dispute over farmland near {site}", "Fencing blocks the path to {town} fields",
             "Land taken for the access road without consultation", "Customary land claim at {town}"),
    "environment": ("Dust from haul trucks affecting {town}", "River discoloured downstream of {site}",
                    "Blasting cracks houses in {town}", "Noise at night from the processing plant"),
    "compensation": ("Crop compensation rates disputed in {town}", "Compensation for damaged cocoa trees unpaid",
                     "Delayed payment for relocated graves", "Valuation of fruit trees contested"),
    "resettlement": ("Resettlement houses at {town} leaking", "Livelihood restoration for resettled families stalled",
                     "Host community at {town} not consulted on resettlement"),
    "legacy": ("Unreclaimed pits from the previous operator near {town}", "Old promise of a school in {town} unkept",
               "Legacy pollution from earlier mining at {site}"),
    "protest": ("Road blockade at the {site} gate", "Demonstration by {town} youth over jobs",
                "Sit-in at the district office over compensation"),
    "security_conduct": ("Guards accused of beating an artisanal miner near {site}",
                         "Police use of tear gas at {town} market", "Arbitrary arrests after the {town} protest",
                         "Soldiers demanding payments at a checkpoint near {site}",
                         "Security patrol confiscated tools of {town} miners"),
    "access_to_resources": ("Water source at {town} fenced off", "Fishing grounds closed near {site}",
                            "Access to forest products restricted around {site}"),
    "other": ("Request for information about the {site} expansion", "Complaint about the grievance office hours"),
}
ISSUE_DESCRIPTIONS = (
    "Raised by residents of {town}; they ask the group to bring the company and the authorities together.",
    "The complainants say earlier approaches to the site office brought no answer.",
    "Reported through the community liaison officer after a village meeting in {town}.",
    "Several households are affected; the traditional council supports the complaint.",
)
UPDATE_NOTES = {
    "received": "Logged and a case number given to the complainant.",
    "acknowledged": "Receipt acknowledged; the secretariat explained the next steps.",
    "in_dialogue": "Joint meeting held with the complainants and the company.",
    "action_agreed": "Parties agreed on corrective actions and a timeline.",
    "resolved": "Agreed actions completed and checked on site.",
    "closed": "Case closed after follow-up with the complainant.",
    "escalated": "Escalated to the steering committee because of the risk of violence.",
}
CLOSED_UNRESOLVED_NOTE = "Closed without resolution: the complainant withdrew the concern."
OUTCOMES = (
    ("Compensation paid to the affected households.", "Compensation at the agreed rates"),
    ("An access agreement was signed with the community.", "Access path reopened"),
    ("The security unit involved was replaced and retrained.", "Unit replaced; apology made in public"),
    ("Dust suppression and a monitoring schedule agreed.", "Water trucks twice a day on the haul road"),
    ("Local hiring plan revised with the district assembly.", "Twenty local hires confirmed"),
    ("Repairs made to the affected houses.", "Houses repaired at the company's cost"),
)
REFERRALS_FOR_ESCALATION = ("nhri", "prosecutor", "icoca", "oecd_ncp")

ACTIVITY_TITLES = {
    "plenary": ("Quarterly plenary meeting", "Plenary meeting", "Annual plenary and work-plan review"),
    "steering_committee": ("Steering committee meeting", "Steering committee: follow-up of action points"),
    "workshop": ("Workshop on grievance handling", "Workshop on the Voluntary Principles risk assessment",
                 "Workshop on land and compensation standards", "Joint workshop on early warning"),
    "training": ("Human rights training for public security", "Training for private guards on the use of force",
                 "Training of community monitors", "Training on gender and security"),
    "field_visit": ("Monitoring visit to {site}", "Field visit to {site}", "Joint verification visit to {site}"),
    "community_dialogue": ("Community dialogue at {town}", "Town hall with {town} residents",
                           "Dialogue with women of {town}"),
    "forum_presentation": ("Presentation at the national EITI forum", "Presentation to the VPSHR plenary",
                           "Briefing to the OECD National Contact Point"),
}
ACTIVITY_HOURS = {"plenary": 5, "steering_committee": 3, "workshop": 6, "training": 7, "field_visit": 6,
                  "community_dialogue": 3, "forum_presentation": 2}
SUMMARIES = ("Members reviewed open issues and action points.", "Good turnout; the community seats were filled.",
             "Discussion focused on recent incidents near the sites.",
             "The secretariat presented the funding report.")
OUTCOME_TEXTS = ("Two action points agreed.", "Work plan updated.", "A joint monitoring visit was planned.",
                 "Terms of reference for a sub-committee adopted.")
COMMITMENTS = (
    "Share the security arrangements for {site} with the group",
    "Publish the crop compensation rates in local languages",
    "Train the rapid response unit on the Voluntary Principles",
    "Set up a community liaison desk in {town}",
    "Organise a joint visit to the affected households",
    "Report back on the investigation of the incident",
    "Review the local hiring procedure with the district",
    "Provide water trucks to {town} during the dry season",
    "Map the artisanal mining areas with the community",
    "Circulate the draft minutes within two weeks",
)
WORK_ITEMS = {
    "meeting": ("Hold quarterly plenary meetings", "Convene the steering committee monthly"),
    "workshop": ("Risk assessment workshop", "Workshop on grievance mechanisms"),
    "training": ("Train public security units", "Train private guard supervisors"),
    "tool": ("Community grievance toolkit", "Incident reporting template"),
    "monitoring": ("Quarterly monitoring of site security", "Monitor implementation of commitments"),
    "research": ("Baseline study on community perceptions", "Study of legacy sites"),
    "outreach": ("Radio programme in local languages", "Outreach to traditional authorities"),
}
PROPOSED_ITEMS = ("Share lessons from the company's other operations", "Joint training with the company's guards",
                  "Independent review of the grievance mechanism")
EARMARKS = ("Community dialogue travel", "Training on the Voluntary Principles", "Secretariat costs",
            "Independent monitoring", "Women's participation")
IN_KIND = ("Meeting venue and catering", "Transport for community representatives", "Printing of materials",
           "Interpretation services", "Office space for the secretariat")
DISBURSEMENT_TEXT = {"meetings": "Venue, meals and travel for {title}", "training": "Trainers and materials for {title}",
                     "secretariat": "Secretariat costs for {month}", "monitoring": "Monitoring visit costs",
                     "research": "Consultant for the baseline study", "outreach": "Radio airtime and leaflets",
                     "other": "Bank charges and sundries"}
FORUM_TEXT = ("Progress on the group's work plan", "Lessons on handling security-related grievances",
              "Results of the joint monitoring visits", "The group's funding model and its neutrality")
LESSONS = (
    ("Hold community dialogues in the local language", "Turnout and trust rose once meetings were interpreted.",
     "community,language"),
    ("Agree compensation rates before construction", "Most disputes came from rates set after the damage.",
     "compensation,land"),
    ("Invite the police commander, not a delegate", "Commitments on conduct only held when the commander signed.",
     "security,public security"),
    ("Publish the fund's contributions", "Publishing who pays kept the group's neutrality credible.",
     "funding,transparency"),
    ("Give the grievance a case number at once", "Anonymous complainants could follow up without exposing themselves.",
     "grievance,anonymity"),
    ("Pair a company and a civil society monitor", "Joint visits were accepted by both sides.", "monitoring"),
)
TRAINING_TOPICS = ("Voluntary Principles and the use of force", "Human rights and crowd management",
                   "Gender-based violence prevention", "Engaging with artisanal miners", "Rules of engagement at checkpoints")
UNITS_PUBLIC = ("Rapid Response Unit {n}", "Mobile Police Unit {n}", "Battalion {n} detachment", "Mining Police Post {n}")
UNITS_PRIVATE = ("Site guard force {n}", "Patrol team {n}", "Gate security shift {n}")
NARRATIVES = {
    "commitment": ("{company} commits to respect human rights in its security arrangements, to support "
                   "multi-stakeholder working groups where it operates, and to report on this engagement every year."),
    "policies": ("Our security and human rights policy applies to all operations and contractors. Site managers "
                 "assess security risks each year with local stakeholders, train guards on the Voluntary "
                 "Principles, and record every allegation in the grievance mechanism."),
}

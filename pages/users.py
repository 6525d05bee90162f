"""Users: accounts, roles, a coordinator's working groups, deactivation and password resets."""
from components import forms_users
from components.guard import require
from components.header import page_header
from db.permissions import Action
from i18n import _

actor = require(Action.manage_users)

page_header(_("Users"), _("Who may log in, with which role; a coordinator edits only the working groups assigned here."))
forms_users.render(actor)

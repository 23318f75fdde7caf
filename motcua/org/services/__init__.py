"""Write use cases of the organisation: loading units, agencies and the center from the data/ files.

Every loader validates its whole file first (problems name the file, line, entry and field), then
writes in one transaction, only what differs: running a loader twice creates and changes nothing.
Places no longer listed in center.yaml are deactivated, never deleted (tickets and dossiers refer to them).
Problem messages are in English, like the catalog's and the validation library's: they are read by
whoever edits the data files; the error itself carries a Vietnamese message.
"""

from .agencies import AgencySpec, commune_agency_code, commune_e_id, load_agencies
from .center import load_center, load_org_data, read_center_spec
from .common import AgenciesInvalid, CenterInvalid, DataProblem, LoadReport, OrgDataInvalid, UnitsInvalid
from .units import load_units

__all__ = ["AgenciesInvalid", "AgencySpec", "CenterInvalid", "DataProblem", "LoadReport", "OrgDataInvalid",
           "UnitsInvalid", "commune_agency_code", "commune_e_id", "load_agencies", "load_center",
           "load_org_data", "load_units", "read_center_spec"]

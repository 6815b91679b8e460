"""Small German and English stop-word lists (folded: umlauts and ß already replaced)."""
from __future__ import annotations

_DE = """
aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch auf aus bei beim bin bis
bist da dabei dadurch dafur dagegen daher damit dann dar daran darauf daraus darin daruber darum das dass dasselbe
dein deine deinem deinen deiner dem den denn der deren des dessen dich die dies diese diesem diesen dieser dieses dir
doch dort du durch ein eine einem einen einer eines einige einigen einiger er es etwas euch euer eure fur gab gibt
gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im
in indem ins ist ja jede jedem jeden jeder jedes jener jetzt kann kannst konnen konnte mal man manche mein meine
meinem meinen meiner mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem
seinen seiner seit sich sie sind so solche soll sollte sondern sonst uber um und uns unser unsere unter vom von vor
wann war waren warum was weil welche welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird
ab wirst wo wodurch woher wohin womit worden wurde wurden zu zum zur zwar zwischen wieviel viele vielen bitte hallo
"""

_EN = """
a about above after again against all am an and any are as at be because been before being below between both but
by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves please hi hello
"""

STOPWORDS: dict[str, frozenset[str]] = {"de": frozenset(_DE.split()), "en": frozenset(_EN.split())}

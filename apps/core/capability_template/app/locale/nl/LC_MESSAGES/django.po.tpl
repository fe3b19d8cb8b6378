# {{ title }}: the app's own catalogue (Django reads every installed app's locale/).
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: nl\n"

msgid "{{ title }}"
msgstr "{{ title_nl }}"

msgid "Nothing has been published here yet."
msgstr "Hier is nog niets gepubliceerd."

{% extends "base.html" %}{% load i18n %}
{% block title %}{% translate "{{ title }}" %}{% endblock %}
{% block content %}
<h1>{% translate "{{ title }}" %}</h1>
<p>{% translate "Nothing has been published here yet." %}</p>
{% endblock %}
